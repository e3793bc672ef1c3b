"""One seam per external system: subprocesses, files under a root, docker, HTTP."""
