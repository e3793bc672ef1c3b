"""The test helper kit: builders and servers the tests share (fixtures stay in the conftest.py files).

- files: REPO, DATA (tests/data), write, fake_tool, path_with, sample_tree
- hosts: whole fixture hosts (sysfs PCI, /proc, /dev, Neuware, fake cnmon), add_pci_card, healthy_root, facts_of
- pyenvs: Python environments with Cambricon PyTorch, yolov3/yolov5 trees, COCO trees
- elf: real shared objects built with cc
- seed: the seed scenario (MLU270-era image contents on an MLU220-M2 host), as a root and as image files
- facts: facts built in memory for check tests (card_facts, judge)
- home: the environment of a fixture home for `fix` runs
- terminal: `mlu-doctor` on a real pseudo-terminal
- docker: a Docker client, locally built test images, the doctor image
- coco: a synthetic COCO mirror, a real nginx, a fault-injecting server
- capture: capture scenarios, a real `mlu-doctor` process, the oldest Python here
- fleet: promtool, prometheus, node_exporter, munge and Slurm daemons
- reports: a report whose texts break naive renderers
"""
