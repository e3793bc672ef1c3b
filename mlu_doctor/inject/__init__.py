"""`mlu-doctor inject`: a streamed, resumable, verified copy of a directory into a running container."""
