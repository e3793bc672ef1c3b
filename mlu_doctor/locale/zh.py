"""Simplified Chinese catalog: English template -> Chinese template (same {fields}).

Missing entries fall back to English. `python scripts/i18n_missing.py --stub` prints what to add.
"""

MESSAGES: dict[str, str] = {
    # checks/device.py
    "A Cambricon MLU card is visible": "可以看到寒武纪 MLU 卡",
    "no Cambricon device found; looked at {places}": "未找到寒武纪设备；已检查 {places}",
    "{n} card(s): {cards}": "{n} 张卡：{cards}",
    "Run on a host with an MLU card; in a container, also check that the host sees the card.":
        "请在装有 MLU 卡的主机上运行；如果在容器中，还要确认主机能看到这张卡。",
    # cli
    "Diagnose and fix PyTorch environments on Cambricon MLU hosts and containers.":
        "诊断并修复寒武纪 MLU 主机和容器上的 PyTorch 环境。",
    "Print the version.": "打印版本号。",
    "Inspect the system whose files are under DIR (a capture, a mount).":
        "检查文件位于 DIR 下的系统（采集的快照或挂载点）。",
    "The Python interpreter your code runs with.": "运行你的代码所用的 Python 解释器。",
    "Your project directory (default: the current directory).": "你的项目目录（默认：当前目录）。",
    "Seconds before a probe command is killed (default {seconds:g}).":
        "探测命令被终止前的秒数（默认 {seconds:g}）。",
    "Show details and evidence.": "显示详细信息和证据。",
    "Replay a facts JSON file instead of probing.": "重放 facts JSON 文件，而不是实际探测。",
    "Language of messages: en or zh (default: from LANG).": "消息语言：en 或 zh（默认取自 LANG）。",
    "Config file (default: $MLU_DOCTOR_CONFIG or ./.mlu-doctor.yaml).":
        "配置文件（默认：$MLU_DOCTOR_CONFIG 或 ./.mlu-doctor.yaml）。",
    "mlu-doctor: interrupted": "mlu-doctor：已中断",
    "mlu-doctor: internal error: {error} (this is a bug; crash log: {path})":
        "mlu-doctor：内部错误：{error}（这是一个 bug；崩溃日志：{path}）",
    "Output: json.": "输出格式：json。",
    # cli/explain.py
    "The log to read; - or nothing reads standard input.": "要读取的日志；- 或不指定则读取标准输入。",
    "Output: human or json.": "输出格式：human 或 json。",
    "A YAML file of extra signatures.": "包含额外错误特征的 YAML 文件。",
    "unknown format {fmt}; choose one of: {choices}": "未知格式 {fmt}；可选：{choices}",
    "cannot read {path}: {error}": "无法读取 {path}：{error}",
    "reading the log from standard input (end with Ctrl-D)": "正在从标准输入读取日志（按 Ctrl-D 结束）",
    # cli/report.py
    "Mask host and user names, home paths, IP/MAC addresses, serials, tokens.":
        "遮蔽主机名、用户名、家目录路径、IP/MAC 地址、序列号和令牌。",
    "generated": "生成时间",
    "host": "主机",
    "user": "用户",
    "system": "系统",
    "Python (mlu-doctor)": "Python（mlu-doctor）",
    "target": "诊断对象",
    " (redacted)": "（已脱敏）",
    "container {name}": "容器 {name}",
    "wrote {md} and {json}{note}": "已写入 {md} 和 {json}{note}",
    "cannot write {path}: {error}": "无法写入 {path}：{error}",
    # checks/runner.py
    "not checked: {sections} facts unavailable": "未检查：缺少 {sections} 事实信息",
    "the check crashed: {error}": "检查崩溃：{error}",
    # explain/render.py
    "line {lines}": "第 {lines} 行",
    "lines {lines} ({count} in all)": "第 {lines} 行（共 {count} 行）",
    "{n} known problem(s) in {source} ({lines} lines read)":
        "{source} 中有 {n} 个已知问题（已读取 {lines} 行）",
    "cause: {cause}": "原因：{cause}",
    "fix: {remedy}": "修复：{remedy}",
    "no known error signature in {source} ({lines} lines read)":
        "{source} 中没有已知的错误特征（已读取 {lines} 行）",
    "next: {command}": "下一步：{command}",
    # report/human.py
    "no checks ran": "没有运行任何检查",
    "status": "状态",
    "check": "检查",
    "finding": "结果",
    "{n} acknowledged": "{n} 项已确认",
    "acknowledged: {reason}": "已确认：{reason}",
    "recipe: mlu-doctor fix {recipe}": "修复方案：mlu-doctor fix {recipe}",
    # report/closing.py: why the exit code of check is what it is, and what to do next
    "1 check crashed ({ids})": "1 项检查崩溃（{ids}）",
    "{n} checks crashed ({ids})": "{n} 项检查崩溃（{ids}）",
    "1 check failed ({ids})": "1 项检查失败（{ids}）",
    "{n} checks failed ({ids})": "{n} 项检查失败（{ids}）",
    "1 check warned ({ids}) and warnings count (--strict or --fail-on warn)":
        "1 项检查给出警告（{ids}），且警告计入结果（--strict 或 --fail-on warn）",
    "{n} checks warned ({ids}) and warnings count (--strict or --fail-on warn)":
        "{n} 项检查给出警告（{ids}），且警告计入结果（--strict 或 --fail-on warn）",
    "warnings only (use --strict to fail on them)": "只有警告（加 --strict 可让警告也算失败）",
    "only acknowledged findings ({ids}), which never fail the run":
        "只有已确认的问题（{ids}），它们不会让运行失败",
    "Next: 1 finding has a recipe: run `{command}`": "下一步：1 个问题有修复方案：运行 `{command}`",
    "Next: {n} findings have recipes: run `{command}`": "下一步：{n} 个问题有修复方案：运行 `{command}`",
    "Next: 1 finding has a recipe: on the system this report came from, run `{command}`":
        "下一步：1 个问题有修复方案：在生成这份报告的系统上运行 `{command}`",
    "Next: {n} findings have recipes: on the system this report came from, run `{command}`":
        "下一步：{n} 个问题有修复方案：在生成这份报告的系统上运行 `{command}`",
    "Next ({id}): {remedy}": "下一步（{id}）：{remedy}",
    "Next: {id} crashed (a bug in the check): run again with -v and report the traceback":
        "下一步：{id} 崩溃了（检查本身的 bug）：加 -v 重新运行并报告其中的 traceback",
    "Next: run again with -v to see the details and evidence of {id}":
        "下一步：加 -v 重新运行，查看 {id} 的详情和证据",
    "Then by hand (no recipe): {ids}: follow its fix: line above":
        "然后手动处理（没有修复方案）：{ids}：按上面的“修复：”行操作",
    "Then by hand (no recipe): {ids}: follow their fix: lines above":
        "然后手动处理（没有修复方案）：{ids}：按上面各自的“修复：”行操作",
    "Next: no recipe covers these; follow their fix: lines above, worst first: {ids}":
        "下一步：这些问题都没有修复方案；请按上面各自的“修复：”行操作，先处理最严重的：{ids}",
    # explain/render.py: closing lines
    "1 failure recognised ({ids})": "识别出 1 个失败（{ids}）",
    "{n} failures recognised ({ids})": "识别出 {n} 个失败（{ids}）",
    "warnings only, no failure recognised ({ids})": "只有警告，未识别出失败（{ids}）",
    "Next: run `{command}` (for {id})": "下一步：运行 `{command}`（针对 {id}）",
    "the blocks above say what to do about the others": "其他问题的处理方法见上面各段",
    # download/render.py: closing lines of fetch-coco
    "no mirror could supply {names}": "没有镜像能提供 {names}",
    "Next: run the same command again to resume (what arrived is kept in {folder}), or add a --mirror URL "
    "that has these archives.":
        "下一步：重新运行同一命令即可续传（已下载的部分保存在 {folder}），或用 --mirror "
        "加上一个有这些压缩包的镜像。",
    "--verify-only found {n} problem(s) (above)": "--verify-only 发现 {n} 个问题（见上）",
    "Next: run the same command without --verify-only to download and extract what is missing.":
        "下一步：去掉 --verify-only 重新运行同一命令，下载并解压缺少的部分。",
    "{n} problem(s) left (above)": "还剩 {n} 个问题（见上）",
    "Next: deal with the problems above and run the same command again: finished work is kept.":
        "下一步：处理上面的问题后重新运行同一命令：已完成的部分会保留。",
    # cli/inject.py: closing lines
    "the verification ({method}) found {n} path(s) that differ in the container":
        "校验（{method}）发现容器中有 {n} 个路径与源不一致",
    "Next: run the same command again (only what differs is sent); if it stays, look at the paths above with "
    "docker exec.":
        "下一步：重新运行同一命令（只发送不一致的部分）；如果仍然不一致，请用 docker exec "
        "查看上面列出的路径。",
    "copied and verified, but {n} file(s) changed while copying":
        "已复制并校验，但有 {n} 个文件在复制过程中发生了变化",
    "Next: run the same command again once they stop changing: only those are sent.":
        "下一步：等这些文件不再变化后重新运行同一命令：只会发送它们。",
    # report/markdown.py
    "cards": "卡",
    "driver": "驱动",
    "libraries": "库",
    "Python (your code)": "Python（你的代码）",
    "framework generation": "框架代际",
    "**Fix:** {remedy}": "**修复：** {remedy}",
    "**Recipe:** `mlu-doctor fix {recipe}`": "**修复方案：** `mlu-doctor fix {recipe}`",
    "mlu-doctor report": "mlu-doctor 报告",
    "item": "项目",
    "value": "值",
    "Summary": "概要",
    "Findings": "发现的问题",
    "summary": "摘要",
    "Facts": "事实信息",
    "facts (JSON)": "事实信息（JSON）",
    "component": "组件",
    "version": "版本",
    "Versions": "版本",
    "Probe errors": "探测错误",
    # checks/__init__.py
    "plugin check {id} ({origin}) ignored: id already taken":
        "插件检查 {id}（{origin}）已忽略：该 ID 已被占用",
    "plugin recipe {id} ({origin}) ignored: id already taken":
        "插件修复方案 {id}（{origin}）已忽略：该 ID 已被占用",
    "plugin {name} ({value}): {error}": "插件 {name}（{value}）：{error}",
    # checks/arch.py
    "On an MLU270 host (online mode), regenerate the offline model for MLU220: genoff.py -mcore MLU220 "
    "-core_number 4 (or ct.set_core_version('MLU220'); ct.set_core_number(4); ct.save_as_cambricon(...)), "
    "copy the .cambricon file here and run it through CNRT.":
        "在 MLU270 主机上（在线模式）为 MLU220 重新生成离线模型：genoff.py -mcore MLU220 -core_number 4（或 "
        "ct.set_core_version('MLU220'); ct.set_core_number(4); ct.save_as_cambricon(...)），把 .cambricon "
        "文件拷贝到这里，再通过 CNRT 运行。",
    "torch {version} (CNML era, kernels for MLU270) on an {card} card. MLU220 runs offline .cambricon models "
    "through CNRT: regenerate with genoff.py -mcore MLU220 -core_number 4 on an MLU270 host.":
        "torch {version}（基于 CNML，算子面向 MLU270）运行在 {card} 卡上。MLU220 通过 CNRT 运行 .cambricon "
        "离线模型：请在 MLU270 主机上用 genoff.py -mcore MLU220 -core_number 4 重新生成。",
    "CNML-era Cambricon PyTorch runs online only on MLU270; MLU220 is an offline-model target. Running it "
    "here makes CNRT warn that the device is not the platform in the kernel, then cnmlError / "
    "CNML_STATUS_INVALIDPARAM.":
        "基于 CNML 的寒武纪 PyTorch 只能在 MLU270 上在线运行；MLU220 只能运行离线模型。在这里运行会让 CNRT "
        "警告设备与内核中的平台不一致，随后出现 cnmlError / CNML_STATUS_INVALIDPARAM。",
    "the workload targets MLU270 ({source}) on an {card} card. MLU220 runs offline .cambricon models through "
    "CNRT: regenerate with genoff.py -mcore MLU220 -core_number 4 on an MLU270 host.":
        "工作负载面向 MLU270（{source}），但运行在 {card} 卡上。MLU220 通过 CNRT 运行 .cambricon 离线模型："
        "请在 MLU270 主机上用 genoff.py -mcore MLU220 -core_number 4 重新生成。",
    "{generation} on an {card} card: CNNL-era releases target MLU370 and later":
        "{generation} 运行在 {card} 卡上：基于 CNNL 的版本面向 MLU370 及更新的卡",
    "On MLU2xx cards use the CNML-era Cambricon PyTorch (image pytorch:0.15.602-ubuntu18.04, torch 1.3 with "
    "torch_mlu.core) or run this torch_mlu on an MLU370 / MLU5xx card.":
        "MLU2xx 卡请使用基于 CNML 的寒武纪 PyTorch（镜像 pytorch:0.15.602-ubuntu18.04，torch 1.3 + "
        "torch_mlu.core），或者把这个 torch_mlu 放到 MLU370 / MLU5xx 卡上运行。",
    "workload targets {targets}": "工作负载面向 {targets}",
    "{what} fits {cards}": "{what} 与 {cards} 匹配",
    "the workload targets both MLU270 and MLU220; this host has an {card} card":
        "工作负载同时面向 MLU270 和 MLU220；本机是 {card} 卡",
    "torch_mlu / catch releases list the MLU370 series and later as targets.":
        "torch_mlu / catch 的版本说明中，目标平台是 MLU370 系列及更新的卡。",
    "unknown: no MLU card identified (PCI, /proc/driver/cambricon, cnmon)":
        "未知：没有识别到 MLU 卡（PCI、/proc/driver/cambricon、cnmon）",
    "CNML-era PyTorch (torch {version}) on an {card} card: it was built for MLU270 / MLU220 (inferred)":
        "基于 CNML 的 PyTorch（torch {version}）运行在 {card} 卡上：它是为 MLU270 / MLU220 构建的（推断）",
    "unknown: the Cambricon PyTorch generation is not known and the project shows no target platform "
    "matching the cards; cards: {cards}":
        "未知：寒武纪 PyTorch 的代际不明，项目中也没有与这些卡匹配的目标平台；卡：{cards}",
    "Make sure what runs here is the MLU220 offline model ({source}).":
        "请确认在这里运行的是 MLU220 离线模型（{source}）。",
    "Inferred from torch_mlu/_MLUC*.so linking libcnnl; versions unknown.":
        "根据 torch_mlu/_MLUC*.so 链接了 libcnnl 推断；版本未知。",
    "Use a torch_mlu (CNNL era) release built for {card}.":
        "请使用为 {card} 构建的 torch_mlu（基于 CNNL 的版本）。",
    "(inferred from torch_mlu/_MLUC*.so linking libcnml)": "（根据 torch_mlu/_MLUC*.so 链接了 libcnml 推断）",
    # checks/container.py (issue 17: what the container can actually open)
    "container {name} passes {paths}, which match no device node of this host ({cards})":
        "容器 {name} 传入了 {paths}，它们与本机（{cards}）的任何设备节点都不对应",
    "It sees the cards only because it is --privileged; /dev/cambricon_c10DevN are MLU100 nodes.":
        "它能看到卡只是因为使用了 --privileged；/dev/cambricon_c10DevN 是 MLU100 的设备节点。",
    "drop the stale --device flags, or replace them with: {flags}":
        "删除这些过时的 --device 参数，或替换为：{flags}",
    "Without --privileged only the --device nodes exist in the container, and these name nothing the driver "
    "created.":
        "不使用 --privileged 时，容器中只有 --device 指定的节点，而这些名字都不是驱动创建的节点。",
    "container {name} sees the host's /dev (-v /dev:/dev) and a device cgroup rule allows character devices":
        "容器 {name} 能看到主机的 /dev（-v /dev:/dev），且有设备 cgroup 规则允许访问字符设备",
    "container {name} sees the host's /dev (-v /dev:/dev) but is not --privileged: the device cgroup lets it "
    "open only --device nodes":
        "容器 {name} 能看到主机的 /dev（-v /dev:/dev），但没有使用 --privileged：设备 cgroup 只允许它打开 "
        "--device 指定的节点",
    "add --privileged (as the published -v /dev:/dev recipes do), or --device flags for the cards, or "
    "--device-cgroup-rule 'c *:* rmw'":
        "添加 --privileged（公开的 -v /dev:/dev 用法都是这样做的），或为各张卡添加 --device 参数，或使用 "
        "--device-cgroup-rule 'c *:* rmw'",
    "Without --pid=host cnmon cannot name the processes using the cards.":
        "不使用 --pid=host 时，cnmon 无法列出正在使用卡的进程。",
    "{var}={value} was set by the Kubernetes device plugin (or HAMi) that chose the cards of container "
    "{name}":
        "{var}={value} 是由为容器 {name} 分配卡的 Kubernetes 设备插件（或 HAMi）设置的",
    "{var}=all: all {n} card(s) of the container are used": "{var}=all：使用容器中的全部 {n} 张卡",
    # checks/container.py
    "The container was given the host's MLU device nodes": "容器已获得主机的 MLU 设备节点",
    "cnmon is available inside the container": "容器内可以使用 cnmon",
    "MLU_VISIBLE_DEVICES in the container names cards it has":
        "容器中的 MLU_VISIBLE_DEVICES 指向容器内存在的卡",
    "The container's /dev/shm is large enough for data loaders": "容器的 /dev/shm 足够数据加载器使用",
    "The host's datasets are mounted or copied into the container": "主机上的数据集已挂载或拷贝到容器中",
    "listed inside the container": "在容器内列出",
    "from the container configuration": "来自容器配置",
    "container {name} has {nodes}": "容器 {name} 中有 {nodes}",
    "cnmon is not in container {name}": "容器 {name} 中没有 cnmon",
    "{var}={value}: all within the container's {n} card(s)": "{var}={value}：都在容器的 {n} 张卡范围内",
    "/dev/shm of container {name} is {mib} MiB": "容器 {name} 的 /dev/shm 为 {mib} MiB",
    "datasets reach container {name}: {how}": "数据集已可在容器 {name} 中访问：{how}",
    "privileged: {p}; devices: {d}": "特权模式：{p}；设备：{d}",
    "the host shows no Cambricon card; nothing to pass to the container":
        "主机上没有寒武纪卡；没有可传给容器的设备",
    "container {name} is privileged: it sees all host devices":
        "容器 {name} 以特权模式运行：可以看到主机的所有设备",
    "container {name} lacks {nodes}; the host has {n} card(s) ({cards})":
        "容器 {name} 缺少 {nodes}；主机有 {n} 张卡（{cards}）",
    "container {name} has no /dev/cambricon_ipcmN nodes (used by MLU370 and later for multi-card "
    "communication)":
        "容器 {name} 中没有 /dev/cambricon_ipcmN 节点（MLU370 及更新的卡用于多卡通信）",
    "the host shows no Cambricon card": "主机上没有寒武纪卡",
    "cnmon is available in container {name} at {path}": "容器 {name} 中可以使用 cnmon，位于 {path}",
    "Cambricon images do not ship cnmon; without it nobody can see the cards' state from inside.":
        "寒武纪镜像不自带 cnmon；没有它，就无法在容器内查看卡的状态。",
    "recreate the container with -v {path}:/usr/bin/cnmon": "使用 -v {path}:/usr/bin/cnmon 重新创建容器",
    "MLU_VISIBLE_DEVICES is not set: all {n} card(s) of the container are used":
        "未设置 MLU_VISIBLE_DEVICES：使用容器的全部 {n} 张卡",
    "{var} is empty in container {name}: every card is hidden": "容器 {name} 中的 {var} 为空：所有卡都被隐藏",
    "{var}={value} in container {name} is not a list of card indices":
        "容器 {name} 中的 {var}={value} 不是卡序号列表",
    "{var}={value} in container {name}, but it has {n} card(s): {wrong} do not exist":
        "容器 {name} 中的 {var}={value}，但容器只有 {n} 张卡：{wrong} 不存在",
    "container {name} uses the host's IPC namespace (--ipc=host)":
        "容器 {name} 使用主机的 IPC 命名空间（--ipc=host）",
    "/dev/shm of container {name} is {mib} MiB{default}": "容器 {name} 的 /dev/shm 为 {mib} MiB{default}",
    "no configured dataset exists on the host": "配置的数据集在主机上都不存在",
    "{paths} exists on the host but is neither mounted nor copied into container {name}":
        "{paths} 在主机上存在，但既没有挂载也没有拷贝到容器 {name} 中",
    "no Cambricon nodes": "没有寒武纪设备节点",
    "Without the device nodes the driver is invisible in the container: cnmon says CNDEV_ERROR_NO_DRIVER and "
    "torch_mlu finds no device.":
        "没有设备节点，容器内就看不到驱动：cnmon 报 CNDEV_ERROR_NO_DRIVER，torch_mlu 也找不到设备。",
    "recreate the container with: docker run {flags} ... {image} (or --privileged)":
        "用以下命令重新创建容器：docker run {flags} ... {image}（或 --privileged）",
    "add {flags} to docker run": "在 docker run 中加上 {flags}",
    "unset {var} or set it to card indices, e.g. {var}=0": "取消设置 {var}，或设为卡序号，例如 {var}=0",
    "set {var} to indices below {n}, or pass the missing cards with --device":
        "把 {var} 设为小于 {n} 的序号，或用 --device 把缺少的卡传进容器",
    "DataLoader workers pass batches through /dev/shm; 64 MiB ends in 'bus error' or 'DataLoader worker ... "
    "killed'.":
        "DataLoader 的 worker 通过 /dev/shm 传递批数据；只有 64 MiB 时会出现 'bus error' 或 'DataLoader "
        "worker ... killed'。",
    "recreate the container with --shm-size=8g (or --ipc=host); or use num_workers=0":
        "使用 --shm-size=8g（或 --ipc=host）重新创建容器；或者设置 num_workers=0",
    "copy it in with: mlu-doctor fix dataset.inject --container {name}; if the container can be recreated, "
    "bind-mount it instead: docker run -v {path}:{path}:ro ...":
        "用以下命令拷贝进去：mlu-doctor fix dataset.inject --container {name}；如果可以重新创建容器，"
        "改为绑定挂载：docker run -v {path}:{path}:ro ...",
    " (Docker's default)": "（Docker 默认值）",
    # checks/dataset.py
    "COCO datasets are complete": "COCO 数据集完整",
    "COCO at {path} ({source}): {problems}": "{path} 处的 COCO（{source}）：{problems}",
    "{split}: {images} images, {labels} labels": "{split}：{images} 张图片，{labels} 个标签",
    "no COCO root configured or named by the project (looked at .mlu-doctor.yaml datasets.coco, $COCO_DIR, "
    "data/coco2014.data, data/coco.yaml)":
        "没有配置 COCO 根目录，项目中也没有指定（已查看 .mlu-doctor.yaml 的 datasets.coco、$COCO_DIR、"
        "data/coco2014.data、data/coco.yaml）",
    "COCO is not at {path} where {source} expects it (the training script would try to download it)":
        "COCO 不在 {source} 期望的位置 {path}（训练脚本会尝试下载它）",
    "COCO {year} at {path}: {counts}": "{path} 处的 COCO {year}：{counts}",
    "Fetch it ahead (mlu-doctor fix dataset.coco), or edit {source} / set datasets.coco in .mlu-doctor.yaml "
    "if you keep COCO elsewhere.":
        "提前下载（mlu-doctor fix dataset.coco），如果 COCO 放在别处，请修改 {source} 或在 .mlu-doctor.yaml "
        "中设置 datasets.coco。",
    "{path} ({source}): {problems}": "{path}（{source}）：{problems}",
    "Fetch what is missing into {path} (mlu-doctor fix dataset.coco), or point datasets.coco in "
    ".mlu-doctor.yaml or $COCO_DIR at a complete copy.":
        "把缺少的部分下载到 {path}（mlu-doctor fix dataset.coco），或者让 .mlu-doctor.yaml 的 datasets.coco "
        "或 $COCO_DIR 指向一份完整的数据集。",
    # checks/device.py
    "Device nodes for the cards exist in /dev": "/dev 中有这些卡的设备节点",
    "{n} card(s) seen in {sources} but {missing} missing from /dev":
        "在 {sources} 中看到 {n} 张卡，但 /dev 中缺少 {missing}",
    "none": "无",
    "/dev/cambricon_ctl and {k} device node(s) for {n} card(s)":
        "/dev/cambricon_ctl 以及 {n} 张卡的 {k} 个设备节点",
    "Cambricon device nodes present: {nodes}. The driver creates them when it loads.":
        "已有的寒武纪设备节点：{nodes}。驱动加载时会创建它们。",
    "Load the driver (sudo modprobe cambricon_drv, or reinstall the driver package for this kernel) and "
    "check that udev creates /dev/cambricon_* (ls -l /dev/cambricon_*).":
        "加载驱动（sudo modprobe cambricon_drv，或为当前内核重新安装驱动包），并确认 udev 创建了 "
        "/dev/cambricon_*（ls -l /dev/cambricon_*）。",
    "no Cambricon card seen; no device nodes to check": "没有看到寒武纪卡；没有需要检查的设备节点",
    "Add to docker run: {flags}": "在 docker run 中加上：{flags}",
    "Reload the driver and check udev rules for /dev/cambricon_ipcm*.":
        "重新加载驱动，并检查 /dev/cambricon_ipcm* 的 udev 规则。",
    "{fams} card(s) but no /dev/cambricon_ipcmN node (needed for inter-process communication)":
        "有 {fams} 卡，但没有 /dev/cambricon_ipcmN 节点（进程间通信需要它）",
    "{n} card(s) but only {k} device node(s): {nodes}": "有 {n} 张卡，但只有 {k} 个设备节点：{nodes}",
    "{k} of {n} card(s) passed into this container: {nodes}": "{n} 张卡中有 {k} 张传入了本容器：{nodes}",
    "This is a container ({markers}); Cambricon device nodes present: {nodes}. A container started without "
    "--device flags (or --privileged) cannot open the cards.":
        "这是一个容器（{markers}）；已有的寒武纪设备节点：{nodes}。启动容器时没有加 --device 参数（或 "
        "--privileged）就无法打开这些卡。",
    "Recreate the container with: docker run {flags} -v /usr/bin/cnmon:/usr/bin/cnmon ...":
        "用以下命令重新创建容器：docker run {flags} -v /usr/bin/cnmon:/usr/bin/cnmon ...",
    "Reload the driver and check udev rules for /dev/cambricon_dev*.":
        "重新加载驱动，并检查 /dev/cambricon_dev* 的 udev 规则。",
    # checks/driver.py
    "The Cambricon kernel driver is loaded": "寒武纪内核驱动已加载",
    "The driver version is known, consistent and new enough": "驱动版本已知、一致且足够新",
    "this container has no /dev/cambricon_ctl: it was started without the --device flags":
        "本容器中没有 /dev/cambricon_ctl：启动时没有加 --device 参数",
    "Recreate the container with the --device flags shown by device.nodes, or check the host driver.":
        "按 device.nodes 给出的 --device 参数重新创建容器，或检查主机上的驱动。",
    "cnmon reports CNDEV_ERROR_NO_DRIVER: {why}": "cnmon 报告 CNDEV_ERROR_NO_DRIVER：{why}",
    "unknown whether the driver is loaded: no /proc/modules, no /proc/driver/cambricon, cnmon {status}":
        "无法确定驱动是否已加载：没有 /proc/modules，没有 /proc/driver/cambricon，cnmon {status}",
    "minimum for {family} is {minimum}": "{family} 的最低版本是 {minimum}",
    "no known minimum for {cards}": "{cards} 没有已知的最低版本",
    "driver {version} (from {sources}); {note}": "驱动 {version}（来自 {sources}）；{note}",
    "kernel module cambricon_drv is not loaded ({source})": "内核模块 cambricon_drv 未加载（{source}）",
    "Load the driver (sudo modprobe cambricon_drv) or reinstall the driver package for this kernel; then run "
    "cnmon again.":
        "加载驱动（sudo modprobe cambricon_drv）或为当前内核重新安装驱动包；然后再运行 cnmon。",
    "cnmon prints this and exits 0, so it is judged by its text.":
        "cnmon 打印这条信息后仍以 0 退出，所以要根据输出文本判断。",
    "kernel module cambricon_drv is not loaded ({source}) although {n} card(s) are visible":
        "内核模块 cambricon_drv 未加载（{source}），但可以看到 {n} 张卡",
    "/proc/driver/cambricon is missing although PCI shows {n} card(s): the driver did not bind to them":
        "PCI 显示有 {n} 张卡，但没有 /proc/driver/cambricon：驱动没有绑定到这些卡",
    "module cambricon_drv loaded ({source})": "模块 cambricon_drv 已加载（{source}）",
    "/proc lists {n} card(s)": "/proc 列出 {n} 张卡",
    "cnmon sees {n} card(s)": "cnmon 看到 {n} 张卡",
    "driver loaded ({what}) but {error}: the driver may be wedged":
        "驱动已加载（{what}），但 {error}：驱动可能已卡死",
    "driver loaded: {what}": "驱动已加载：{what}",
    "no Cambricon card seen and cambricon_drv not loaded: nothing to check":
        "没有看到寒武纪卡，cambricon_drv 也未加载：无需检查",
    "driver version unknown: none in /proc/driver/cambricon, cnmon or /sys/module/cambricon_drv":
        "驱动版本未知：/proc/driver/cambricon、cnmon 和 /sys/module/cambricon_drv 中都没有",
    "driver {version} is older than {minimum}, the minimum for {family} cards":
        "驱动 {version} 低于 {family} 卡要求的最低版本 {minimum}",
    "driver versions disagree: {versions}": "驱动版本不一致：{versions}",
    "Reload the driver (sudo modprobe -r cambricon_drv && sudo modprobe cambricon_drv) and check that udev "
    "creates /dev/cambricon_*.":
        "重新加载驱动（sudo modprobe -r cambricon_drv && sudo modprobe cambricon_drv），并确认 udev 创建了 "
        "/dev/cambricon_*。",
    "the driver does not answer although /dev/cambricon_ctl exists":
        "/dev/cambricon_ctl 存在，但驱动没有响应",
    "sudo modprobe cambricon_drv (or install the Cambricon driver package for this kernel).":
        "sudo modprobe cambricon_drv（或为当前内核安装寒武纪驱动包）。",
    "Check dmesg for cambricon errors; reload the driver (sudo modprobe -r cambricon_drv && sudo modprobe "
    "cambricon_drv) or reinstall it for this kernel.":
        "查看 dmesg 中的 cambricon 错误；重新加载驱动（sudo modprobe -r cambricon_drv && sudo modprobe "
        "cambricon_drv）或为当前内核重新安装驱动。",
    "Check dmesg for cambricon errors; if cnmon keeps hanging, reload the driver or reboot.":
        "查看 dmesg 中的 cambricon 错误；如果 cnmon 一直卡住，请重新加载驱动或重启。",
    "Versions seen: {versions}.": "看到的版本：{versions}。",
    "Install Cambricon driver {minimum} or newer (then reboot or reload cambricon_drv).":
        "安装 {minimum} 或更新版本的寒武纪驱动（然后重启或重新加载 cambricon_drv）。",
    "The running module, /proc and cnmon should report one version. A driver upgraded without a reboot keeps "
    "the old module running; a bind-mounted cnmon may come from another driver package.":
        "正在运行的模块、/proc 和 cnmon 应报告同一个版本。升级驱动后不重启，旧模块会继续运行；绑定挂载进来的 "
        "cnmon 可能来自另一个驱动包。",
    "Reboot or reload cambricon_drv after a driver upgrade; use the cnmon of the installed driver.":
        "升级驱动后请重启或重新加载 cambricon_drv；使用已安装驱动自带的 cnmon。",
    "cambricon_drv is loaded but /dev/cambricon_ctl is missing":
        "cambricon_drv 已加载，但缺少 /dev/cambricon_ctl",
    "/dev/cambricon_ctl is missing": "缺少 /dev/cambricon_ctl",
    "unknown cards": "未知的卡",
    "cnmon timed out": "cnmon 超时",
    # checks/env.py
    "TORCH_HOME is set to a writable directory": "TORCH_HOME 指向可写目录",
    "The project's imports resolve to the project": "项目的导入解析到项目本身",
    "MLU_VISIBLE_DEVICES names existing cards": "MLU_VISIBLE_DEVICES 指向存在的卡",
    "Remove the directory holding {path} from PYTHONPATH, or put the project first: export "
    "PYTHONPATH={dir}${{PYTHONPATH:+:$PYTHONPATH}}":
        "从 PYTHONPATH 中移除包含 {path} 的目录，或者把项目放在最前面：export "
        "PYTHONPATH={dir}${{PYTHONPATH:+:$PYTHONPATH}}",
    "An installed package named '{module}' ({path}) shadows the project's: uninstall it (pip uninstall it), "
    "or put the project first: export PYTHONPATH={dir}${{PYTHONPATH:+:$PYTHONPATH}}":
        "已安装的包 '{module}'（{path}）遮蔽了项目自己的模块：卸载它（pip uninstall），或者把项目放在最前面："
        "export PYTHONPATH={dir}${{PYTHONPATH:+:$PYTHONPATH}}",
    "visible devices name existing cards ({count} card(s))": "可见设备都指向存在的卡（{count} 张卡）",
    "TORCH_HOME is not set": "未设置 TORCH_HOME",
    "TORCH_HOME={path} is a file, not a directory": "TORCH_HOME={path} 是文件，不是目录",
    "TORCH_HOME={path} does not exist": "TORCH_HOME={path} 不存在",
    "'{module}' is a module, so '{statement}' fails with \"'{module}' is not a package\"":
        "'{module}' 是一个模块而不是包，所以 '{statement}' 会报错 \"'{module}' is not a package\"",
    "no yolov3/yolov5 project in {dir} (use --project DIR)":
        "{dir} 中没有 yolov3/yolov5 项目（请使用 --project DIR）",
    "could not tell what the {kind} imports resolve to": "无法确定 {kind} 导入解析到哪里",
    "{var} is set but empty: it hides every card": "{var} 已设置但为空：所有卡都被隐藏",
    "{var}={value} is not a comma-separated list of card indices": "{var}={value} 不是以逗号分隔的卡序号列表",
    "{var}={value} names a card twice": "{var}={value} 重复指定了同一张卡",
    "{var}={value} names card(s) {missing}, but only {count} card(s) exist (0..{last})":
        "{var}={value} 指定了卡 {missing}，但只有 {count} 张卡（0..{last}）",
    "MLU_VISIBLE_DEVICES and CAMBRICON_VISIBLE_DEVICES are unset: all cards are visible":
        "MLU_VISIBLE_DEVICES 和 CAMBRICON_VISIBLE_DEVICES 均未设置：所有卡都可见",
    "cannot verify the visible devices: no card identified": "无法核对可见设备：没有识别到卡",
    "Cambricon example scripts print 'please set environment variable TORCH_HOME' and look for weights under "
    "$TORCH_HOME/{origin,int8,int16}/checkpoints.":
        "寒武纪示例脚本会打印 'please set environment variable TORCH_HOME'，并在 "
        "$TORCH_HOME/{origin,int8,int16}/checkpoints 下查找权重。",
    "export TORCH_HOME=$HOME/.cache/torch (add it to your shell profile or the container's env).":
        "export TORCH_HOME=$HOME/.cache/torch（写进 shell 配置文件或容器的环境变量）。",
    "Point TORCH_HOME at a directory, e.g. export TORCH_HOME=$HOME/.cache/torch.":
        "让 TORCH_HOME 指向一个目录，例如 export TORCH_HOME=$HOME/.cache/torch。",
    "mkdir -p {path}  (or point TORCH_HOME at an existing writable directory)":
        "运行 mkdir -p {path} 创建它，或让 TORCH_HOME 指向一个已存在且可写的目录",
    "Make it writable for this user (chown/chmod), or point TORCH_HOME at a writable directory.":
        "让当前用户可写（chown/chmod），或让 TORCH_HOME 指向一个可写目录。",
    "Set it to indices of existing cards, e.g. export MLU_VISIBLE_DEVICES=0, or unset it.":
        "设为存在的卡的序号，例如 export MLU_VISIBLE_DEVICES=0，或者取消设置。",
    " (its format is set by the device plugin; inferred)": "（其格式由设备插件决定；推断）",
    # checks/framework.py
    "Cambricon PyTorch is installed": "已安装寒武纪 PyTorch",
    "The framework and workload fit the MLU cards": "框架和工作负载与 MLU 卡匹配",
    "generation unknown": "代际未知",
    "{found}: {generation}": "{found}：{generation}",
    "no Python environment": "没有 Python 环境",
    "no Python environment found (python3 on PATH, or site-packages under the root); use --python PATH":
        "没有找到 Python 环境（PATH 中的 python3，或根目录下的 site-packages）；请使用 --python PATH",
    "no torch in {where}": "{where} 中没有 torch",
    "torch {version} without torch_mlu or catch: this PyTorch cannot use MLU cards":
        "torch {version} 没有 torch_mlu 或 catch：这个 PyTorch 无法使用 MLU 卡",
    "Install Cambricon's PyTorch (torch + torch_mlu wheels matching your driver), use a Cambricon PyTorch "
    "image, or point --python at the interpreter your code runs with.":
        "安装寒武纪的 PyTorch（与驱动匹配的 torch + torch_mlu wheel 包），使用寒武纪 PyTorch 镜像，或用 "
        "--python 指定你的代码实际使用的解释器。",
    "Install the torch_mlu wheel built for this torch version, or use a Cambricon PyTorch image.":
        "安装为这个 torch 版本构建的 torch_mlu wheel 包，或使用寒武纪 PyTorch 镜像。",
    # checks/toolkit.py
    "The Neuware toolkit is installed and on the loader path": "Neuware 工具包已安装且在库加载路径中",
    "Neuware {version} at {where} ({era}; {libs})": "Neuware {version} 位于 {where}（{era}；{libs}）",
    "Cambricon framework images ship their own toolkit (/torch/neuware_home); that is fine if your code runs "
    "in such a container.":
        "寒武纪框架镜像自带工具包（/torch/neuware_home）；如果你的代码在这样的容器中运行，就没有问题。",
    "version unknown": "版本未知",
    "dpkg package only": "仅有 dpkg 包",
    "{era} era": "基于 {era}",
    "era unknown": "代际未知",
    "a CNNL-era toolkit ({libs}) with {cards}: CNNL-era releases target MLU370 and later (inferred from the "
    "library names)":
        "基于 CNNL 的工具包（{libs}）配 {cards}：基于 CNNL 的版本面向 MLU370 及更新的卡（根据库名推断）",
    "a CNML-era toolkit ({libs}) with {cards}: CNML runs on MLU100/220/270/290 only (inferred from the "
    "library names)":
        "基于 CNML 的工具包（{libs}）配 {cards}：CNML 只能在 MLU100/220/270/290 上运行（根据库名推断）",
    "no Neuware toolkit found; looked at {places}": "没有找到 Neuware 工具包；已查看 {places}",
    "NEUWARE_HOME={path} names no directory; using {found}": "NEUWARE_HOME={path} 不是目录；改用 {found}",
    "NEUWARE_HOME={path} names no directory.": "NEUWARE_HOME={path} 不是目录。",
    "Install CNToolkit on the host, or set NEUWARE_HOME to where it is installed.":
        "在主机上安装 CNToolkit，或把 NEUWARE_HOME 设为其安装位置。",
    "Code in this container cannot load the Cambricon libraries (libcnrt, libcnnl) from it.":
        "这个容器里的代码无法从中加载寒武纪库（libcnrt、libcnnl）。",
    "Run an image that ships CNToolkit (Cambricon PyTorch images have it at /torch/neuware_home), or "
    "recreate the container with the host's toolkit mounted read-only (-v "
    "/usr/local/neuware:/usr/local/neuware:ro) and NEUWARE_HOME set to it.":
        "请使用自带 CNToolkit 的镜像（寒武纪 PyTorch 镜像中位于 /torch/neuware_home），或者重新创建容器，"
        "以只读方式挂载主机的工具包（-v /usr/local/neuware:/usr/local/neuware:ro），"
        "并把 NEUWARE_HOME 设为它。",
    "{path}/bin is not on PATH": "{path}/bin 不在 PATH 中",
    "{lib64} is not on LD_LIBRARY_PATH nor in /etc/ld.so.conf.d: programs will not find libcnrt":
        "{lib64} 既不在 LD_LIBRARY_PATH 中，也不在 /etc/ld.so.conf.d 中：程序会找不到 libcnrt",
    "no libraries found in lib64": "lib64 中没有找到库",
    "export LD_LIBRARY_PATH={lib64}:$LD_LIBRARY_PATH (or add it to /etc/ld.so.conf.d and run ldconfig)":
        "export LD_LIBRARY_PATH={lib64}:$LD_LIBRARY_PATH（或加入 /etc/ld.so.conf.d 后运行 ldconfig）",
    "Use the toolkit generation that matches the card (CNML era for MLU2xx, CNNL era for MLU370 and later).":
        "使用与卡匹配的工具包代际（MLU2xx 用基于 CNML 的，MLU370 及更新的卡用基于 CNNL 的）。",
    "Point NEUWARE_HOME at the toolkit directory, or unset it.":
        "让 NEUWARE_HOME 指向工具包目录，或者取消设置。",
    # cli/check.py
    "Also diagnose this Docker container (name or id), running or stopped.":
        "同时诊断这个 Docker 容器（名称或 ID），运行中或已停止均可。",
    "Warnings make the exit code non-zero (= --fail-on warn).":
        "有警告时退出码也不为零（= --fail-on warn）。",
    "Lowest status that makes the exit code 1: warn or fail (default).":
        "让退出码为 1 的最低状态：warn 或 fail（默认）。",
    "Write the --format report to FILE atomically; stdout gets the human report.":
        "把 --format 指定格式的报告原子地写入 FILE；标准输出显示人类可读的报告。",
    "Output: {formats}.": "输出格式：{formats}。",
    "--container and --facts cannot be combined (a facts file already holds its container)":
        "--container 和 --facts 不能同时使用（facts 文件中已经包含它的容器）",
    # cli/facts.py
    "unknown section {section}; choose from: {sections}": "未知的部分 {section}；可选：{sections}",
    # cli/fetch_coco.py
    "COCO year: 2014 (yolov3) or 2017 (yolov5).": "COCO 年份：2014（yolov3）或 2017（yolov5）。",
    "Dataset folder (e.g. ../coco or ../datasets/coco).": "数据集目录（例如 ../coco 或 ../datasets/coco）。",
    "yolov3 or yolov5 (default: by year).": "yolov3 或 yolov5（默认：按年份）。",
    "Mirror base URL, tried first (repeatable).": "镜像站基础 URL，优先尝试（可重复指定）。",
    "Range connections per file (1-16; 0, the default: start with one and add one a second while the "
    "throughput grows, up to 8).":
        "每个文件的 Range 连接数（1-16；默认 0：先用一个连接，吞吐量仍在增长时每秒增加一个，最多 8 个）。",
    "Folder with archives you already have.": "存放已有压缩包的目录。",
    "Only verify what is on disk (no network).": "只校验磁盘上已有的文件（不联网）。",
    "Print the plan and change nothing.": "打印计划，不做任何修改。",
    "Seconds without data before a mirror counts as stalled.": "镜像站多少秒没有数据就视为停滞。",
    "unknown format {fmt!r}; choose human or json": "未知格式 {fmt!r}；请选择 human 或 json",
    "mlu-doctor: interrupted; partial downloads are kept in {folder} (*.part); run the same command again to "
    "resume":
        "mlu-doctor：已中断；未下载完的部分保存在 {folder}（*.part）中；再次运行同一命令即可续传",
    # cli/fix.py
    "Apply without asking.": "不询问，直接执行。",
    "Only show the plan.": "只显示计划。",
    "Journal id (default: the last fix not undone).": "日志 ID（默认：最近一次未撤销的修复）。",
    "Undo the last fix (the default).": "撤销最近一次修复（默认行为）。",
    "List fix journals.": "列出修复日志。",
    "Restore files even if they changed since the fix.": "即使文件在修复之后又被改动过，也要恢复。",
    "give a journal id or --last, not both": "请指定日志 ID 或 --last，不要同时指定",
    "restored {path}": "已恢复 {path}",
    "skipped {what}": "已跳过 {what}",
    "undone": "已撤销",
    "active": "生效中",
    # cli/inject.py
    "Directory on this host (its contents are copied).": "本机上的目录（拷贝其中的内容）。",
    "Absolute directory inside the container (created if missing).": "容器内的绝对路径目录（不存在则创建）。",
    "Name or id of a running container.": "运行中容器的名称或 ID。",
    "UID:GID for the copied files (default: the container's user).":
        "拷贝后文件的 UID:GID（默认：容器的用户）。",
    "listing (size+mtime), sha256 (hash inside the container) or none.":
        "listing（大小+修改时间）、sha256（在容器内计算哈希）或 none。",
    "Bytes per archive request (e.g. 1G, 500M).": "每个归档请求的字节数（例如 1G、500M）。",
    "Say what would be sent; send nothing.": "只说明会发送什么；不发送任何内容。",
    "{src} -> {name}:{dest} (owner {uid}:{gid})": "{src} -> {name}:{dest}（属主 {uid}:{gid}）",
    "--verify must be listing, sha256 or none": "--verify 只能是 listing、sha256 或 none",
    "--owner {value}: expected numeric UID:GID, e.g. 1000:1000":
        "--owner {value}：应为数字形式的 UID:GID，例如 1000:1000",
    "--batch-size {value}: expected a size such as 1G, 500M or 1048576":
        "--batch-size {value}：应为大小，例如 1G、500M 或 1048576",
    "source: {n} files, {size}": "源：{n} 个文件，{size}",
    "ok": "通过",
    "MISMATCH in {n} path(s): {paths}": "{n} 个路径不一致：{paths}",
    "if the container can be recreated, a bind mount avoids the copy: {cmd}":
        "如果可以重新创建容器，用绑定挂载就无需拷贝：{cmd}",
    "mlu-doctor: interrupted; what landed is kept: run the same command again to send the rest":
        "mlu-doctor：已中断；已传输的部分会保留：再次运行同一命令即可发送剩余部分",
    "space: {need} needed, {free} free": "空间：需要 {need}，可用 {free}",
    "verify ({method}): {state}, {n} entries checked": "校验（{method}）：{state}，已检查 {n} 个条目",
    "changed while copying (run again): {paths}": "拷贝期间有变动（请再运行一次）：{paths}",
    "symlinks pointing outside SRC, copied as links: {paths}":
        "指向 SRC 之外的符号链接，已按链接拷贝：{paths}",
    # cli/npd.py
    "Lowest status that is a problem: warn or fail (default).": "视为问题的最低状态：warn 或 fail（默认）。",
    "Cut the message to N characters (NPD's max_output_length).":
        "把消息截断为 N 个字符（NPD 的 max_output_length）。",
    "mlu-doctor could not run: {error}": "mlu-doctor 无法运行：{error}",
    # cli/output.py
    "--fail-on must be one of: {choices}": "--fail-on 只能是以下之一：{choices}",
    "--strict means --fail-on warn; it contradicts --fail-on {value}":
        "--strict 等于 --fail-on warn；与 --fail-on {value} 矛盾",
    "mlu-doctor: wrote the {fmt} report to {path}": "mlu-doctor：已把 {fmt} 报告写入 {path}",
    # config.py
    "the config file": "配置文件",
    "each acknowledge entry": "每个 acknowledge 条目",
    "{path}: not UTF-8 text ({reason} at byte {offset})":
        "{path}：不是 UTF-8 文本（第 {offset} 字节处 {reason}）",
    "{where}: malformed YAML: {problem}": "{where}：YAML 格式错误：{problem}",
    "{what} must be a mapping": "{what} 必须是映射（mapping）",
    "{what} must be a list": "{what} 必须是列表",
    "{what} must be a string": "{what} 必须是字符串",
    "{what} must be greater than 0 and at most {max:g} seconds": "{what} 必须大于 0 且不超过 {max:g} 秒",
    "unknown key {key} (known: {known})": "未知的键 {key}（已知的键：{known}）",
    "each acknowledge entry needs 'id' and 'reason'": "每个 acknowledge 条目都需要 'id' 和 'reason'",
    "acknowledge.reason must not be empty": "acknowledge.reason 不能为空",
    "{what} must be a number": "{what} 必须是数字",
    "each entry of {what}": "{what} 的每个条目",
    # diagnose.py
    "--root {path}: no such directory": "--root {path}：没有这个目录",
    "--project {path}: no such directory": "--project {path}：没有这个目录",
    # download/archive.py
    "could not download {name}: every mirror failed ({reasons}). The partial file {part} ({have} of {size}) "
    "is kept; add a working mirror with --mirror URL or $MLU_DOCTOR_COCO_MIRROR and re-run to resume.":
        "无法下载 {name}：所有镜像站都失败了（{reasons}）。未下载完的文件 {part}（已有 {size} 中的 {have}）"
        "会保留；请用 --mirror URL 或 $MLU_DOCTOR_COCO_MIRROR 添加一个可用的镜像站后重新运行以续传。",
    "could not download {name}: every mirror failed ({reasons}). Add a working mirror with --mirror URL or "
    "$MLU_DOCTOR_COCO_MIRROR and re-run.":
        "无法下载 {name}：所有镜像站都失败了（{reasons}）。请用 --mirror URL 或 $MLU_DOCTOR_COCO_MIRROR "
        "添加一个可用的镜像站后重新运行。",
    "Bytes per second a connection must average over --timeout seconds (0: no minimum).":
        "每个连接在 --timeout 秒内的平均速度至少为多少字节/秒（0：不设下限）。",
    "--min-speed must be 0 or more bytes per second": "--min-speed 必须是 0 或更大的字节/秒数",
    "size {size} differs from the pinned {pinned}": "大小 {size} 与固定值 {pinned} 不一致",
    "SHA-256 {sha} differs from the pinned {pinned}": "SHA-256 {sha} 与固定值 {pinned} 不一致",
    "SHA-256 matches but MD5 {md5} differs from the manifest's {pinned}: check the manifest":
        "SHA-256 一致，但 MD5 {md5} 与清单中的 {pinned} 不一致：请检查清单",
    "missing": "缺失",
    "no mirror configured": "没有配置镜像站",
    "served bytes whose SHA-256 does not match the manifest": "返回的数据 SHA-256 与清单不符",
    # download/extract.py
    "{name}: bad local header in the zip": "{name}：zip 中的本地文件头损坏",
    "{name}: CRC or size does not match the zip directory": "{name}：CRC 或大小与 zip 目录不一致",
    "{name}: cannot inflate: {error}": "{name}：无法解压缩：{error}",
    "not extracted into {target}": "没有解压到 {target}",
    "{missing} of {total} extracted files are missing or changed under {target} (first: {first}); run "
    "fetch-coco again without --verify-only to restore them":
        "{target} 下已解压的 {total} 个文件中有 {missing} 个缺失或被改动（第一个：{first}）；去掉 "
        "--verify-only 重新运行 fetch-coco 即可恢复",
    "{name} missing under {target}": "{target} 下缺少 {name}",
    "absolute path {name}": "绝对路径 {name}",
    "path leading out of the folder {name}": "路径跳出了目标目录：{name}",
    "symbolic link {name} (COCO archives hold none)": "符号链接 {name}（COCO 压缩包中不应有符号链接）",
    "{name}: {found} images in {target} after extraction, the manifest says {want}":
        "{name}：解压后 {target} 中有 {found} 张图片，清单中是 {want} 张",
    "{path} holds {found} images, the manifest says {want}": "{path} 中有 {found} 张图片，清单中是 {want} 张",
    "not enough free space in {dest} to extract {name}: it needs {need} and {free} is free":
        "{dest} 的剩余空间不足以解压 {name}：需要 {need}，可用 {free}",
    "refusing to extract {path}: {why}": "拒绝解压 {path}：{why}",
    # download/fetch.py
    "the copy {path} was rejected ({why}); {rest}": "副本 {path} 未通过校验（{why}）；{rest}",
    "archive not kept; extracted files match the extraction record":
        "压缩包未保留；已解压的文件与解压记录一致",
    "partly downloaded ({have} of {size}); run without --verify-only to resume":
        "已下载一部分（{size} 中的 {have}）；去掉 --verify-only 运行即可续传",
    "labels {split}: not built yet": "标签 {split}：尚未生成",
    "labels {split}: {missing} of {total} label files missing (first: {first}); run fetch-coco again without "
    "--verify-only to rebuild them":
        "标签 {split}：{total} 个标签文件中缺少 {missing} 个（第一个：{first}）；去掉 --verify-only 重新运行 "
        "fetch-coco 即可重建",
    "SHA-256 verified": "SHA-256 已校验",
    "SHA-256 verified earlier, file unchanged since": "SHA-256 之前已校验，文件此后未改动",
    "not enough free space for COCO {year} in {dest}: need {need} ({download} to download + {extract} to "
    "extract), only {free} free. Free some space, choose another --dest, or fetch fewer --parts.":
        "{dest} 的剩余空间不足以存放 COCO {year}：需要 {need}（下载 {download} + 解压 {extract}），只有 "
        "{free} 可用。请释放空间、换一个 --dest，或减少 --parts。",
    "not downloaded": "未下载",
    "cannot build labels for {split}: {path} is missing": "无法为 {split} 生成标签：缺少 {path}",
    # download/labels.py
    "cannot read annotations {path}: {error}": "无法读取标注文件 {path}：{error}",
    # download/manifest.py
    "manifest {path}: year {year!r} must be letters and digits only":
        "清单 {path}：年份 {year!r} 只能包含字母和数字",
    "manifest {path}: year {year} has holdout {value!r}; it must be a whole number of at least 0":
        "清单 {path}：年份 {year} 的 holdout 为 {value!r}；必须是不小于 0 的整数",
    "manifest {path}: archive name {name!r} must be a plain file name (no folders, no ..)":
        "清单 {path}：压缩包名 {name!r} 必须是单纯的文件名（不能含目录或 ..）",
    "manifest {path}: {name} has extract_to {value!r}, which leads outside the destination":
        "清单 {path}：{name} 的 extract_to 为 {value!r}，会跳出目标目录",
    "manifest {path}: {name} has {key} {value!r}; it must be a whole number of at least {minimum}":
        "清单 {path}：{name} 的 {key} 为 {value!r}；必须是不小于 {minimum} 的整数",
    "manifest {path} needs a 'years' mapping": "清单 {path} 需要一个 'years' 映射",
    "manifest {path}: year {year} needs an 'archives' list":
        "清单 {path}：年份 {year} 需要一个 'archives' 列表",
    "manifest {path}: each archive needs {fields}": "清单 {path}：每个压缩包都需要 {fields}",
    "manifest {path}: {name} has a malformed sha256": "清单 {path}：{name} 的 sha256 格式错误",
    "manifest {path}: {name} has unknown part {part!r}": "清单 {path}：{name} 含有未知的部分 {part!r}",
    "{path} has no COCO year {year} (it has: {years})": "{path} 中没有 COCO {year} 年份（已有：{years}）",
    # download/mirrors.py
    "probe failed": "探测失败",
    "{reason} ({strikes} times)": "{reason}（{strikes} 次）",
    # download/plan.py
    "unknown part {part!r}; choose from: {parts}": "未知的部分 {part!r}；可选：{parts}",
    "unknown layout {layout!r}; choose yolov3 or yolov5":
        "未知的目录布局 {layout!r}；请选择 yolov3 或 yolov5",
    "--connections must be between 1 and {max} (or 0: measured)":
        "--connections 必须在 1 到 {max} 之间（或 0：按实测决定）",
    # download/render.py
    "already extracted (every recorded file in place)": "已解压（记录的文件都在）",
    "failed": "失败",
    "partial": "未下载完",
    "repaired": "已修复",
    "rejected": "已拒绝",
    "used": "已使用",
    "standby": "备用",
    "{n} images": "{n} 张图片",
    "{n} files": "{n} 个文件",
    "{n} missing files restored": "恢复了 {n} 个缺失的文件",
    "{n} extracted files are gone: extract them again": "{n} 个已解压的文件不见了：重新解压它们",
    "{name}: {status} into {target} ({what})": "{name}：{status}到 {target}（{what}）",
    "train with: python train.py --data {path} (in your yolov5 checkout)":
        "训练时使用：python train.py --data {path}（在 yolov5 代码目录中运行）",
    "train with: python train.py --data {path} (in your yolov3 checkout; the lists name ../{folder}/..., so "
    "keep {folder} beside the checkout)":
        "训练时使用：python train.py --data {path}（在 yolov3 代码目录中运行；列表中的路径是 "
        "../{folder}/...，所以 {folder} 要放在代码目录旁边）",
    "downloaded earlier: verify, then extract": "之前已下载：先校验，再解压",
    "use the local copy {source}: verify, then extract": "使用本地副本 {source}：先校验，再解压",
    "resume: {have} of {size} already here": "续传：已有 {size} 中的 {have}",
    "download {size}": "下载 {size}",
    "downloaded": "已下载",
    "resumed": "已续传",
    "present": "已存在",
    "local": "本地",
    "extracted": "已解压",
    "corrupt": "已损坏",
    "skipped": "已跳过",
    "built": "已生成",
    "kept-existing": "保留现有",
    "dropped": "已弃用",
    "COCO {year} into {dest} (layout {layout}): {download} to download, about {extract} to extract":
        "COCO {year} 下载到 {dest}（布局 {layout}）：需下载 {download}，解压约 {extract}",
    "COCO {year} in {dest} (layout {layout}), {seconds:.1f} s":
        "COCO {year} 位于 {dest}（布局 {layout}），{seconds:.1f} 秒",
    "mirrors, in order: {mirrors}": "镜像站（按顺序）：{mirrors}",
    "problem: {problem}": "问题：{problem}",
    "YOLO labels from instances_*.json for: {splits}": "根据 instances_*.json 生成 YOLO 标签：{splits}",
    "{size} in {seconds:.1f} s ({rate}) from {mirror}":
        "{size}，用时 {seconds:.1f} 秒（{rate}），来自 {mirror}",
    "labels {split}: {status}, {labelled} of {images} images with boxes, {boxes} boxes":
        "标签 {split}：{status}，{images} 张图片中 {labelled} 张有框，共 {boxes} 个框",
    "wrote: {files}": "已写入：{files}",
    # download/sniff.py
    "served an HTML/error page ({type}), not the archive": "返回的是 HTML/错误页面（{type}），不是压缩包",
    "served an HTML page (an error, quota or login page), not the archive":
        "返回的是 HTML 页面（错误、配额或登录页面），不是压缩包",
    "the first bytes are {bytes}, not a zip file (PK\\x03\\x04)":
        "开头的字节是 {bytes}，不是 zip 文件（PK\\x03\\x04）",
    # download/transfer.py
    "connection broken: {error}": "连接中断：{error}",
    "connection timed out": "连接超时",
    "proxy error: {error}": "代理错误：{error}",
    "TLS error: {error}": "TLS 错误：{error}",
    "cannot resolve the host name": "无法解析主机名",
    "more than {n} redirects": "重定向超过 {n} 次",
    "cannot connect: {error}": "无法连接：{error}",
    "bad URL: {error}": "URL 错误：{error}",
    "interrupted": "已中断",
    "too slow: {rate:.0f} B/s over {window:.0f} s (minimum {minimum:.0f} B/s)":
        "太慢：{window:.0f} 秒内平均 {rate:.0f} B/s（下限 {minimum:.0f} B/s）",
    "{kind}/{split}: {missing} of {total} files missing (first: {first})":
        "{kind}/{split}：{total} 个文件中缺少 {missing} 个（第一个：{first}）",
    "images/{split}: {n} images, COCO {split} has {want}":
        "images/{split}：{n} 张图片，COCO {split} 有 {want} 张",
    "connection closed before the end of the range": "连接在分段结束前关闭",
    "wrong Content-Range {value}": "Content-Range 错误：{value}",
    "connection closed before the end of the file": "连接在文件结束前关闭",
    "no mirror left": "没有可用的镜像站了",
    # explain/signatures.py
    "id {id} must look like log.kebab-case": "id {id} 必须形如 log.kebab-case",
    "missing {keys}": "缺少 {keys}",
    "{where}: expected a list of signatures": "{where}：应为错误特征列表",
    "{where}: duplicate ids: {ids}": "{where}：重复的 id：{ids}",
    "each 'next' entry is a one-key mapping: check: ID, recipe: ID or command: TEXT":
        "每个 'next' 条目必须是只有一个键的映射：check: ID、recipe: ID 或 command: TEXT",
    "bad pattern: {error}": "正则表达式错误：{error}",
    # explain/render.py
    "stack seen in the log: {context}": "日志中出现的软件栈：{context}",
    "{field}: an empty keyword would match every line": "{field}：空关键字会匹配每一行",
    "severity must be one of {choices}": "severity 必须是 {choices} 之一",
    "context_lines must be a whole number from 0 to {n}": "context_lines 必须是 0 到 {n} 之间的整数",
    "{where}: each signature is a mapping (id, keywords, patterns, title, ...)":
        "{where}：每个错误特征必须是映射（id、keywords、patterns、title 等）",
    "unknown field(s) {keys}; known: {known}": "未知字段 {keys}；已知字段：{known}",
    "{field} must be a list of strings": "{field} 必须是字符串列表",
    "{field} must be a string": "{field} 必须是字符串",
    "{field}: {problem}": "{field}：{problem}",
    # facts/__init__.py
    "{name} probe failed: {error}": "{name} 探测失败：{error}",
    # system/container_archive.py
    "listing {path} was abandoned after {mib} MiB of archive data (too large to list through the archive "
    "API; a running container with Python lists it directly)":
        "已放弃列出 {path}：读取了 {mib} MiB 归档数据（太大，无法通过归档 API 列出；运行中且有 Python "
        "的容器可以直接列出）",
    "reading {path} through the archive API failed: {error}": "通过归档 API 读取 {path} 失败：{error}",
    "reading the container's files passed its time box; later files were not read":
        "读取容器文件超出了时间限制；后面的文件没有读取",
    "listing {path} through the archive API failed: {error}": "通过归档 API 列出 {path} 失败：{error}",
    # system/container.py
    "exec agent stopped ({error}); reading files through the archive API instead":
        "exec 代理已停止（{error}）；改为通过归档 API 读取文件",
    # system/container_probe.py
    "no Python and no ls in the container ({result}); read files only":
        "容器中既没有 Python 也没有 ls（{result}）；只读取文件",
    "{python} could not run in the container: {error}": "{python} 无法在容器中运行：{error}",
    "the container is not running": "容器没有在运行",
    # facts/datasets.py
    "{path} does not exist": "{path} 不存在",
    "no images/train2014 or images/train2017 and no list files: not a COCO layout":
        "没有 images/train2014 或 images/train2017，也没有列表文件：不是 COCO 目录布局",
    # facts/device.py
    "{path} could not be read": "无法读取 {path}",
    "{path} holds binary content, not an information file": "{path} 是二进制内容，不是信息文件",
    "{path} has no 'Device name:' or 'Driver Version:' line (truncated?)":
        "{path} 中没有 'Device name:' 或 'Driver Version:' 行（被截断了？）",
    # facts/driver.py
    "cnmon timed out after {seconds} s": "cnmon 在 {seconds} 秒后超时",
    "not run: commands are not executed for this target": "未运行：不会对此诊断对象执行命令",
    # facts/io.py
    "{path} is not a facts file (no schema_version)": "{path} 不是 facts 文件（没有 schema_version）",
    "{path} uses facts schema {version}; this mlu-doctor reads schema {schema}: upgrade mlu-doctor or "
    "re-collect the facts with this version":
        "{path} 使用的 facts 格式版本为 {version}；当前 mlu-doctor 读取版本 {schema}：请升级 mlu-doctor，"
        "或用当前版本重新收集 facts",
    "cannot read facts file {path}: {error}": "无法读取 facts 文件 {path}：{error}",
    "{path} is not a JSON facts file: {error}": "{path} 不是 JSON 格式的 facts 文件：{error}",
    "{path} is larger than {mib} MiB: not a facts file": "{path} 大于 {mib} MiB：不是 facts 文件",
    "{path} nests JSON deeper than {depth} levels: not a facts file":
        "{path} 的 JSON 嵌套超过 {depth} 层：不是 facts 文件",
    "{path} is {kind}, not a facts file (write one with `mlu-doctor facts > FILE`)":
        "{path} 是{kind}，不是 facts 文件（可用 `mlu-doctor facts > FILE` 生成）",
    "/dev could not be listed; the device nodes are unknown": "无法列出 /dev；设备节点情况未知",
    "not checked: /dev could not be listed, so the device nodes are unknown":
        "未检查：无法列出 /dev，设备节点情况未知",
    # system/files.py
    "a FIFO (named pipe)": "命名管道（FIFO）",
    "a socket": "套接字",
    "a device": "设备文件",
    "a directory": "目录",
    "a symbolic link": "符号链接",
    "a special file": "特殊文件",
    "{path}: invalid facts: {error}": "{path}：facts 内容无效：{error}",
    # facts/pyenv.py
    "{python} printed no usable sys.path": "{python} 没有输出可用的 sys.path",
    "{python} timed out after {seconds:.1f} s and was killed": "{python} 在 {seconds:.1f} 秒后超时，已被终止",
    "no site-packages found at the known places under the root": "在根目录下的常见位置没有找到 site-packages",
    # system/docker.py (connect and lookup messages)
    "the docker Python package is not installed (pip install docker)":
        "没有安装 docker Python 包（pip install docker）",
    "no container named {name}; containers on this host: {listing}":
        "没有名为 {name} 的容器；本机上的容器：{listing}",
    "docker could not look up container {name}: {error}": "docker 无法查找容器 {name}：{error}",
    # system/container.py (exec)
    "not found or not executable in the container": "在容器中找不到或无法执行",
    # gateways/http.py
    "stalled: no data before the read timeout": "停滞：读取超时前没有收到数据",
    # gateways/proc.py
    "{cmd} timed out after {seconds:.1f} s and was killed": "{cmd} 在 {seconds:.1f} 秒后超时，已被终止",
    # inject/remote.py
    "container {name} is not running (status: {status}); start it with `docker start {name}` and run this "
    "again":
        "容器 {name} 没有在运行（状态：{status}）；请用 `docker start {name}` 启动后再运行此命令",
    "{cmd} failed in {name} (exit {code}): {error}": "{cmd} 在 {name} 中失败（退出码 {code}）：{error}",
    "cannot resolve the container user {user!r} inside {name}; pass --owner UID:GID":
        "无法在 {name} 中解析容器用户 {user!r}；请传入 --owner UID:GID",
    "cannot resolve the group {group!r} inside {name}; pass --owner UID:GID":
        "无法在 {name} 中解析用户组 {group!r}；请传入 --owner UID:GID",
    "could not list {name}:{dest} ({needs} needed): {error}":
        "无法列出 {name}:{dest}（需要 {needs}）：{error}",
    "cannot run {cmd} in {name}: {error}": "无法在 {name} 中运行 {cmd}：{error}",
    "{name} lacks {cmd}; injection needs {needs}": "{name} 中缺少 {cmd}；注入需要 {needs}",
    "the daemon refused the copy into {name}:{dest}: {error}":
        "守护进程拒绝了向 {name}:{dest} 的拷贝：{error}",
    # inject/run.py
    "{n} path(s) in {name}:{dest} are a directory where SRC has a file, or the reverse: {paths}. The copy "
    "never replaces one with the other; nothing was sent. Remove them first, e.g. `docker exec {name} rm -rf "
    "-- {first}`":
        "{name}:{dest} 中有 {n} 个路径在 SRC 中是文件而这里是目录，或者相反：{paths}。"
        "拷贝不会用一种替换另一种；没有发送任何内容。请先删除它们，例如 `docker exec {name} rm -rf -- "
        "{first}`",
    "SRC {path} is not a directory": "SRC {path} 不是目录",
    "DEST {path} must be an absolute path inside the container": "DEST {path} 必须是容器内的绝对路径",
    "DEST must not be the container's root directory": "DEST 不能是容器的根目录",
    "not enough space in {name}:{dest}: {need} bytes to send, {free} free; nothing was sent":
        "{name}:{dest} 空间不足：需要发送 {need} 字节，可用 {free}；没有发送任何内容",
    # recipes/apply.py
    "{path} changed since the plan was made; run the fix again":
        "制定计划之后 {path} 又有改动；请重新运行修复",
    "{step}: {why}": "{step}：{why}",
    "unknown step kind {kind}": "未知的步骤类型 {kind}",
    # recipes/container_recipes.py
    # recipes/dataset_recipes.py
    "sent {n} file(s)": "已发送 {n} 个文件",
    "copy {src} into {container}:{dest} (only what is missing is sent)":
        "把 {src} 拷贝到 {container}:{dest}（只发送缺少的部分）",
    "or, if the container can be recreated, bind-mount instead of copying":
        "或者，如果可以重新创建容器，改用绑定挂载而不是拷贝",
    "copy your dataset into the container": "把你的数据集拷贝到容器中",
    "verification failed for {n} path(s)": "{n} 个路径校验失败",
    # recipes/env_recipes.py
    "New shells pick this up; in this shell run: . {path}":
        "新开的 shell 会生效；在当前 shell 中请运行：. {path}",
    "Set TORCH_HOME to an existing, writable directory": "把 TORCH_HOME 设为已存在且可写的目录",
    "Make the project's own modules (utils, models) importable":
        "让项目自己的模块（utils、models）可以被导入",
    "Make the Neuware libraries and tools findable": "让 Neuware 的库和工具可以被找到",
    "PyTorch's own default ($XDG_CACHE_HOME/torch), made explicit":
        "PyTorch 自己的默认值（$XDG_CACHE_HOME/torch），显式写出",
    "for one command in the running container": "在运行中的容器里对单条命令生效",
    "for every session when the container is created (recreating it is up to you)":
        "创建容器时对所有会话生效（是否重新创建容器由你决定）",
    "TORCH_HOME is already set to {path}; the directory is created":
        "TORCH_HOME 已设置为 {path}；会创建该目录",
    "from fix.torch_home in {path}": "来自 {path} 中的 fix.torch_home",
    "CNML-era Cambricon PyTorch: its model zoo reads weights from "
    "$TORCH_HOME/{origin,int8,int16}/checkpoints and its scripts suggest $PWD/models/pytorch":
        "基于 CNML 的寒武纪 PyTorch：其模型库从 $TORCH_HOME/{origin,int8,int16}/checkpoints 读取权重，"
        "其脚本建议使用 $PWD/models/pytorch",
    "set TORCH_HOME={path}": "设置 TORCH_HOME={path}",
    "install Cambricon Neuware (CNToolkit), then point NEUWARE_HOME at it":
        "安装寒武纪 Neuware（CNToolkit），然后让 NEUWARE_HOME 指向它",
    "add {path}/lib64 to LD_LIBRARY_PATH": "把 {path}/lib64 加入 LD_LIBRARY_PATH",
    "create {path}": "创建 {path}",
    # recipes/journal.py
    "no fix journal {id} under {root}": "{root} 下没有修复日志 {id}",
    "nothing to undo: no fix journal under {root}": "没有可撤销的内容：{root} 下没有修复日志",
    # recipes/render.py
    "write": "写入",
    "create": "创建",
    "note: {text}": "注意：{text}",
    "fixes {id} ({status}): {summary}": "修复 {id}（{status}）：{summary}",
    "nothing to do: already in place": "无需操作：已经就绪",
    "re-check {id}: {status} {summary}": "重新检查 {id}：{status} {summary}",
    "applied": "已执行",
    "FAILED: {error}": "失败：{error}",
    # recipes/session.py
    "no recipe for {id} ({status}): {remedy}": "{id}（{status}）没有修复方案：{remedy}",
    "unknown recipe or check id(s): {ids} (see `mlu-doctor list`)":
        "未知的修复方案或检查 ID：{ids}（参见 `mlu-doctor list`）",
    "Apply these changes?": "执行这些修改吗？",
    "Changes journaled as {id}; `mlu-doctor undo` reverts them.":
        "修改已记入日志 {id}；`mlu-doctor undo` 可以撤销。",
    # recipes/undo.py
    "changed since the fix (use --force to restore anyway)": "修复之后有改动（用 --force 强制恢复）",
    "journal {id} undone: {restored} restored, {removed} removed, {unchanged} already as before the fix":
        "日志 {id} 已撤销：恢复 {restored} 项，删除 {removed} 项，{unchanged} 项已经是修复前的状态",
    "journal {id} is only partly undone: {n} change(s) skipped":
        "日志 {id} 只撤销了一部分：跳过了 {n} 项更改",
    "Next: look at the files changed since the fix; `mlu-doctor undo {id} --force` restores them anyway.":
        "下一步：查看修复之后有改动的文件；`mlu-doctor undo {id} --force` 会强制恢复它们。",
    "Next: restore the files whose saved copies are missing yourself (e.g. from a backup); the journal "
    "cannot, and counts as undone now.":
        "下一步：保存的副本已缺失的文件请自行恢复（例如从备份恢复）；修复日志无法恢复它们，现在它已算作撤销完毕。",
    "Next: deal with what each skipped change names, then run `mlu-doctor undo {id}` again.":
        "下一步：处理每项被跳过的更改所说明的原因，然后再次运行 `mlu-doctor undo {id}`。",
    "Next: run `mlu-doctor undo {id} --partial` to undo the other changes.":
        "下一步：运行 `mlu-doctor undo {id} --partial` 撤销其余更改。",
    # report/npd.py
    " (+{n} more)": "（另有 {n} 项）",
    "MLU node healthy: {n} checks, none failing": "MLU 节点健康：{n} 项检查，没有失败",
    "{id}{more} could not be checked: {summary}": "{id}{more}无法判断：{summary}",
    "no checks ran: nothing is known about this node": "没有运行任何检查：对该节点一无所知",
    "not judged: {checks}": "无法判断：{checks}",
    # cli/check.py
    "mlu-doctor: {error}": "mlu-doctor：{error}",
    # cli/click_words.py
    "Usage:": "用法:",
    "Options": "选项",
    "Arguments": "参数",
    "Commands": "命令",
    "Show this message and exit.": "显示此帮助信息并退出。",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Aborted!": "已中止！",
    "required": "必填",
    "default: {default}": "默认值：{default}",
    "env var: {var}": "环境变量：{var}",
    # cli/click_words.py
    # checks/arch.py
    "CNNL era": "基于 CNNL 的 PyTorch",
    # facts/framework.py
    "CNNL era (torch {torch})": "基于 CNNL 的 PyTorch（torch {torch}）",
    "conflicting evidence (CNML and CNNL signs)": "证据相互矛盾（同时有 CNML 和 CNNL 的迹象）",
    "CNML era, torch {torch}": "基于 CNML 的 torch {torch}",
    "CNNL era, catch {catch} (torch {torch})": "基于 CNNL 的 catch {catch}（torch {torch}）",
    "CNNL era, torch_mlu {version} (torch {torch})": "基于 CNNL 的 torch_mlu {version}（torch {torch}）",

    # --- glue
    "Manifest YAML (default: coco.manifest in the config, else the bundled one).":
        "清单 YAML（默认：配置中的 coco.manifest，否则使用内置清单）。",
    "image": "镜像",
    "state": "状态",
    "Versions in container {name}": "容器 {name} 中的版本",
    "give the container the device nodes (see `mlu-doctor check --container NAME`)":
        "为容器提供设备节点（参见 `mlu-doctor check --container NAME`）",
    "see how container {name} was started": "查看容器 {name} 的启动方式",
    "recreate it with the missing flags (a container cannot gain devices while it exists)":
        "用缺少的参数重新创建容器（已存在的容器无法再添加设备）",
    "Recreating a container loses changes made inside it: `docker commit {name} {name}:snapshot` first and "
    "start the new one from that image, or keep data in bind mounts.":
        "重新创建容器会丢失在容器内所做的修改：先执行 `docker commit {name} {name}:snapshot`，"
        "再用该镜像启动新容器，或把数据放在绑定挂载中。",
    "download COCO {year} ({layout} layout) into {path}: {archives} archive(s), {download} to download, "
    "about {extract} to extract":
        "下载 COCO {year}（{layout} 布局）到 {path}：{archives} 个压缩包，"
        "需下载 {download}，解压约 {extract}",
    "fetched {n} archive(s)": "已获取 {n} 个压缩包",
    "download COCO on the host (choose a folder there)": "在宿主机上下载 COCO（在宿主机上选择一个目录）",
    "then copy it into the container at {path}": "然后将其复制到容器中的 {path}",
    "(re-checked with {vars} as a new shell will have them; open a new shell or run: . {path})":
        "（复查时使用了新 shell 中 {vars} 的值；请打开新的 shell 或运行：. {path}）",
    "start the container first (injection needs it running)": "先启动容器（注入需要容器处于运行状态）",
    "then copy {src} into {container}:{dest}": "然后将 {src} 复制到 {container}:{dest}",

    # --- ux
    "{error}; scanned site-packages instead: {found}": "{error}；改为扫描 site-packages：{found}",
    "Check that --python names a working Python 3.6+ interpreter: mlu-doctor runs it with a short "
    "stdlib-only script that prints sys.path.":
        "请确认 --python 指向可用的 Python 3.6+ 解释器：mlu-doctor 会用它运行一个只用标准库、打印 sys.path "
        "的小脚本。",
    "mlu-doctor: cannot write the output: {error}": "mlu-doctor：无法写出结果：{error}",
    "mlu-doctor: cannot write {path}: {error}": "mlu-doctor：无法写入 {path}：{error}",
    "unknown value {value}": "未知的值 {value}",
    "{path}: malformed signature file: {error}": "{path}：签名文件格式错误：{error}",
    "no fix recorded yet (journals live in {path})": "还没有记录任何修复（修复日志位于 {path}）",
    "cannot write {path}: it is not a regular file but {kind}": "无法写入 {path}：它不是普通文件，而是{kind}",
    "unknown key {key} in {section} (known: {known})": "{section} 中有未知的键 {key}（已知的键：{known}）",
    "{where}: a key must be a plain name, not a list or mapping":
        "{where}：键必须是普通名称，不能是列表或映射",
    "unknown key {key} in an acknowledge entry (known: id, reason)":
        "acknowledge 条目中有未知的键 {key}（已知的键：id、reason）",
    "--container needs a container name or id": "--container 需要容器名称或 ID",
    "--python needs the path of a Python interpreter": "--python 需要 Python 解释器的路径",
    "--python {path}: no such file": "--python {path}：没有这个文件",
    "--python {path} is a directory; give the interpreter, e.g. {path}/bin/python3":
        "--python {path} 是目录；请给出解释器，例如 {path}/bin/python3",
    "--python {path} is not executable": "--python {path} 不可执行",
    "--python {path}: not found on PATH": "--python {path}：在 PATH 中找不到",
    "no container given; use --container NAME": "没有指定容器；请使用 --container NAME",
    "--only {ids}: no such check id or prefix (see mlu-doctor list)":
        "--only {ids}：没有这样的检查 ID 或前缀（见 mlu-doctor list）",
    "--skip {ids}: no such check id or prefix (see mlu-doctor list)":
        "--skip {ids}：没有这样的检查 ID 或前缀（见 mlu-doctor list）",
    "--dest {path} exists and is not a directory": "--dest {path} 已存在且不是目录",
    "--from-local {path}: no such directory": "--from-local {path}：没有这个目录",
    "mirror {url} (from {origin}) is not an http:// or https:// URL":
        "镜像 {url}（来自 {origin}）不是 http:// 或 https:// 地址",
    "... {n} more line(s); --format json has them all": "……还有 {n} 行；--format json 含全部内容",
    "root": "根目录",

    # --- perf-coco
    "bytes from several mirrors did not match the SHA-256 ({spans}); downloaded again from {mirror} alone":
        "来自多个镜像的字节与 SHA-256 不符（{spans}）；已改为仅从 {mirror} 重新下载",
    # --- lead
    "container {name} has no card to select (see container.devices)":
        "容器 {name} 中没有可选择的卡（见 container.devices）",

    # --- perf-inject
    "--via must be archive or exec": "--via 只能是 archive 或 exec",
    "archive (the Docker archive API) or exec (`tar xf -` inside the container: no container lock; needs tar "
    "there).":
        "archive（Docker 的 archive API）或 exec（在容器内执行 `tar xf -`：不占用容器锁；"
        "容器内需要有 tar）。",
    # --- docker (system/docker.py, errors.docker_failure, inject)
    "Seconds the Docker daemon may stay silent before inject gives up (exit 4).":
        "Docker 守护进程可以保持无响应的秒数，超过后 inject 放弃（退出码 4）。",
    "the local socket": "本机套接字",
    "cannot talk to the Docker daemon at {host}: {error}": "无法连接 {host} 上的 Docker 守护进程：{error}",
    "DOCKER_HOST {host} needs the ssh extra of mlu-doctor (paramiko): pip install 'mlu-doctor[ssh]'":
        "DOCKER_HOST {host} 需要 mlu-doctor 的 ssh 扩展（paramiko）：pip install 'mlu-doctor[ssh]'",
    "cannot talk to the Docker daemon at {host}: it is not running (start it, e.g. 'sudo systemctl start "
    "docker')":
        "无法连接 {host} 上的 Docker 守护进程：它没有在运行（请启动它，例如 'sudo systemctl start docker'）",
    "cannot talk to the Docker daemon at {host}: permission denied on its socket (add yourself to the "
    "'docker' group or run with sudo)":
        "无法连接 {host} 上的 Docker 守护进程：没有访问其套接字的权限（把自己加入 'docker' 组，或用 sudo "
        "运行）",
    "the Docker daemon at {host} did not answer within {seconds:g} s":
        "{host} 上的 Docker 守护进程在 {seconds:g} 秒内没有应答",
    "the Docker daemon at {host} closed the connection": "{host} 上的 Docker 守护进程关闭了连接",
    "not an HTTP answer from the Docker daemon at {host}": "{host} 上的 Docker 守护进程返回的不是 HTTP 应答",
    "TLS with the Docker daemon at {host} failed: {error}":
        "与 {host} 上的 Docker 守护进程建立 TLS 连接失败：{error}",
    "cannot reach the Docker daemon over ssh ({host}): {error}":
        "无法通过 ssh 连接 Docker 守护进程（{host}）：{error}",
    "the Docker daemon at {host} refused: {error}": "{host} 上的 Docker 守护进程拒绝了请求：{error}",
    "copying into it": "向其中拷贝数据",
    "{what}; what landed is kept: run the same command again once it runs":
        "{what}；已拷贝的内容会保留：容器运行后再次执行同一命令即可",
    "{cmd} in {name} ended without an exit code": "{name} 中的 {cmd} 结束时没有退出码",
    "--via exec needs `tar` in {name}; use --via archive":
        "--via exec 需要 {name} 中有 `tar`；请改用 --via archive",
    "--via exec cannot end tar's input over a TLS connection to the daemon; use --via archive":
        "通过 TLS 连接守护进程时，--via exec 无法结束 tar 的输入；请改用 --via archive",
    "the exec ended without an exit code": "exec 结束时没有退出码",
    "checking it": "检查它",
    "container {name} stopped while mlu-doctor was {doing} (status: {status}, exit code {code})":
        "在 mlu-doctor {doing}期间容器 {name} 停止了（状态：{status}，退出码 {code}）",
    "container {name} was killed while mlu-doctor was {doing} (status: {status}, exit code {code})":
        "在 mlu-doctor {doing}期间容器 {name} 被杀死了（状态：{status}，退出码 {code}）",
    "container {name} was removed while mlu-doctor was {doing}":
        "在 mlu-doctor {doing}期间容器 {name} 被删除了",
    # framework.libraries / framework.requirements / framework.torch-pairing / list --compat (issue 14)
    "torch_mlu's libraries resolve as the dynamic loader would find them":
        'torch_mlu 的依赖库能像动态链接器那样被找到',
    '{lib} not found (needed by {module})':
        '找不到 {lib}（{module} 需要它）',
    '{lib} is needed by {module}; the loader looked in:':
        '{module} 需要 {lib}；链接器查找过：',
    'Install the package that provides {lib}, or add its directory to LD_LIBRARY_PATH.':
        '请安装提供 {lib} 的软件包，或把它所在的目录加入 LD_LIBRARY_PATH。',
    '{lib} not found (needed by {module}); only another major version is installed: {other}':
        '找不到 {lib}（{module} 需要它）；只装了另一个主版本：{other}',
    '`import torch_mlu` fails with: ImportError: {lib}: cannot open shared object file':
        '`import torch_mlu` 会失败：ImportError: {lib}: cannot open shared object file',
    '{n} libraries needed by {modules} resolve ({shown})':
        '{modules} 需要的 {n} 个库都能找到（{shown}）',
    '  ... and {n} more':
        '  ……另有 {n} 处',
    'another major version is installed: {path}':
        '装的是另一个主版本：{path}',
    'the library exists at {path}, a directory the loader does not search':
        '该库位于 {path}，但链接器不会查找这个目录',
    'skipped by the loader: {why}':
        '链接器跳过了：{why}',
    'Add {dir} to the loader path of the environment that runs your code: export '
    'LD_LIBRARY_PATH={dir}:$LD_LIBRARY_PATH (or list it in /etc/ld.so.conf.d/ and run ldconfig).':
        '把 {dir} 加入运行代码的环境的链接器路径：export LD_LIBRARY_PATH={dir}:$LD_LIBRARY_PATH（或写入 '
        '/etc/ld.so.conf.d/ 后运行 ldconfig）。',
    '{lib} belongs to torch, which `import torch` loads first; torch at {path} has no such library (a stub '
    'or broken install): reinstall the torch that torch_mlu was built for (see framework.torch-pairing).':
        '{lib} 属于 torch，`import torch` 会先加载它；但 {path} 处的 torch 没有这个库（是空壳或安装损坏）：'
        '请重新安装 torch_mlu 所对应的 torch（见 framework.torch-pairing）。',
    'The torch_mlu package is incomplete ({lib} is part of the wheel): reinstall the torch_mlu wheel built '
    'for torch {torch}.':
        'torch_mlu 包不完整（{lib} 是 wheel 的一部分）：请重新安装为 torch {torch} 构建的 torch_mlu wheel。',
    "This torch_mlu was built against {lib}, but only {other} is installed (another major version of "
    "{component}): install {component} {need}, or the torch_mlu release built for the installed {component}.":
        "此 torch_mlu 是针对 {lib} 构建的，但只安装了 {other}（{component} 的另一个主版本）：请安装 "
        "{component}（{need}），或改用为已安装的 {component} 构建的 torch_mlu 版本。",
    "Install {component} {need} (part of the Cambricon toolkit, under $NEUWARE_HOME/lib64), or use a "
    "Cambricon PyTorch image that ships it.":
        "请安装 {component}（{need}），它属于寒武纪工具包，位于 $NEUWARE_HOME/lib64；"
        "或者使用自带该库的寒武纪 PyTorch 镜像。",
    "({n} more missing: {names})": "（另外还缺 {n} 个：{names}）",
    "{lib} not found (needed by {module}): it is in {dir}, which the loader does not search":
        "找不到 {lib}（{module} 需要它）：它在 {dir} 中，但动态加载器不搜索该目录",
    "{lib} not found (needed by {module}): only {other} is installed, without the {lib} link":
        "找不到 {lib}（{module} 需要它）：只装了 {other}，没有 {lib} 这个链接",
    "{other} is installed but not the {lib} link this torch_mlu was linked against: reinstall {component} "
    "(its package ships the link), or use a Cambricon PyTorch image that has it.":
        "已安装 {other}，但没有这个 torch_mlu 链接时使用的 {lib} 链接：请重新安装 {component}"
        "（它的软件包自带该链接），或者使用包含它的寒武纪 PyTorch 镜像。",
    "another version is installed: {path}": "装有另一个版本：{path}",
    'no torch_mlu package found: there are no extension modules to resolve':
        '未找到 torch_mlu 包：没有需要解析的扩展模块',
    'torch_mlu at {path} has no extension module (_MLUC*.so): `import torch_mlu` cannot load it':
        '{path} 处的 torch_mlu 没有扩展模块（_MLUC*.so）：`import torch_mlu` 无法加载',
    "could not read torch_mlu's extension modules: {problems}":
        '无法读取 torch_mlu 的扩展模块：{problems}',
    'resolution stopped early ({why}); nothing missing so far, the rest not judged':
        '解析提前停止（{why}）；目前没有缺失，其余未作判断',
    'the bound of {n} libraries':
        '上限 {n} 个库',
    '{dir} is listed in /etc/ld.so.conf(.d) but ld.so.cache does not have {lib}: run ldconfig (as root) to '
    'rebuild the cache.':
        '{dir} 已列在 /etc/ld.so.conf(.d) 中，但 ld.so.cache 里没有 {lib}：请（以 root 身份）运行 ldconfig '
        '重建缓存。',
    'Reinstall the torch_mlu wheel (a package directory without its compiled modules is a copy or a partial '
    'install).':
        '请重新安装 torch_mlu wheel（缺少编译模块的包目录是拷贝来的或安装不完整）。',
    'resolved as ld.so would':
        '按 ld.so 的方式解析',
    'no Cambricon library':
        '无寒武纪库',
    "of the version torch_mlu was built for": "与 torch_mlu 构建时相同的版本",
    'no _MLUC*.so':
        '没有 _MLUC*.so',
    'torch (and torchvision, triton) are the ones torch_mlu was built for':
        'torch（以及 torchvision、triton）正是 torch_mlu 构建时所对应的版本',
    "Install a project's requirements against a constraints file that pins the framework: pip list "
    "--format=freeze | grep -iE '^(torch|torchvision|torchaudio|triton|torch[-_]mlu)==' > constraints.txt; "
    "pip install -r requirements.txt -c constraints.txt":
        "安装项目依赖时使用固定框架版本的约束文件：pip list --format=freeze | grep -iE "
        "'^(torch|torchvision|torchaudio|triton|torch[-_]mlu)==' > constraints.txt; pip install -r "
        "requirements.txt -c constraints.txt",
    'torch {version} is a CUDA build ({signs}) with no torch_mlu: this build cannot use the MLU':
        'torch {version} 是 CUDA 版本（{signs}），且没有 torch_mlu：这个版本无法使用 MLU',
    'On an MLU host it fails at the first CUDA call (e.g. libcuda.so.1: cannot open shared object file) or '
    'silently runs on the CPU.':
        '在 MLU 主机上，它会在第一次调用 CUDA 时失败（例如 libcuda.so.1: cannot open shared object file），'
        '或者悄悄地在 CPU 上运行。',
    'pip install --isolated {names} (the releases built for torch {torch}) --index-url {index} --no-deps':
        'pip install --isolated {names}（为 torch {torch} 构建的版本）--index-url {index} --no-deps',
    "pip install --force-reinstall triton-{version}-{cp}-{cp}-linux_x86_64.whl  (Cambricon's triton wheel)":
        'pip install --force-reinstall triton-{version}-{cp}-{cp}-linux_x86_64.whl（寒武纪的 triton wheel）',
    'a CUDA build of torch ({signs}) and no torch_mlu; no MLU card identified, so not judged':
        'torch 是 CUDA 版本（{signs}）且没有 torch_mlu；未识别到 MLU 卡，因此不作判断',
    "vllm {version} here is the CUDA build; MLU needs Cambricon's vllm-mlu.":
        '这里的 vllm {version} 是 CUDA 版本；MLU 需要寒武纪的 vllm-mlu。',
    'no torch in this environment: nothing to pair':
        '此环境中没有 torch：无需配对',
    'torch {version} without torch_mlu: nothing to pair (see framework.installed)':
        'torch {version} 没有配套的 torch_mlu：无需配对（见 framework.installed）',
    '{what} does not name the torch it was built for; torch {version} not judged':
        '{what} 没有注明它所对应的 torch；torch {version} 未作判断',
    'torch {have} is the torch {want} that torch_mlu was built for{more}':
        'torch {have} 正是 torch_mlu 构建时所对应的 torch {want}{more}',
    'Restore the pair: {commands}.':
        '恢复配套版本：{commands}。',
    '{first} (and {n} more)':
        '{first}（另有 {n} 项）',
    'pip install --force-reinstall torch-{version}-{cp}-{cp}-linux_x86_64.whl  (the torch wheel Cambricon '
    'released with this torch_mlu, not the PyPI one)':
        'pip install --force-reinstall torch-{version}-{cp}-{cp}-linux_x86_64.whl（与此 torch_mlu '
        '一起发布的寒武纪 torch wheel，而非 PyPI 上的版本）',
    'CUDA packages installed: {names} (pulled in by a CUDA build of torch)':
        '装有 CUDA 软件包：{names}（由 CUDA 版 torch 引入）',
    'A `pip install -r requirements.txt` that upgrades torch or pulls nvidia-* packages breaks torch_mlu: '
    'import fails or ops run on the CPU.':
        '`pip install -r requirements.txt` 若升级了 torch 或引入 nvidia-* 软件包，就会破坏 torch_mlu：'
        '导入失败或算子在 CPU 上运行。',
    "Use a Cambricon PyTorch image, or install torch_mlu with the torch it was built for (its README gives "
    "the pair), then the project's other requirements with a constraints file.":
        '请使用寒武纪 PyTorch 镜像，或安装 torch_mlu 及其构建时对应的 torch（见其 README 中的配套关系），'
        '再用约束文件安装项目的其他依赖。',
    'torch {have} is a CUDA build; torch_mlu {mlu} needs torch {want} ({source})':
        'torch {have} 是 CUDA 版本；torch_mlu {mlu} 需要 torch {want}（{source}）',
    '{name} {have} was built for {pin} ({source}), but torch is {torch}':
        '{name} {have} 是为 {pin} 构建的（{source}），但 torch 是 {torch}',
    '{name} {have} replaced the {want} torch_mlu was built for ({source})':
        '{name} {have} 替换了 torch_mlu 构建时对应的 {want}（{source}）',
    'The versions torch_mlu was built for are installed':
        '已安装 torch_mlu 构建时所需的各组件版本',
    '{label}: {what} needs {need} ({source}); installed {have} ({where})':
        '{label}：{what} 需要 {need}（{source}）；已安装 {have}（{where}）',
    '{label}: {what} needs {need} ({source}); the installed version is unknown':
        '{label}：{what} 需要 {need}（{source}）；已安装的版本未知',
    '{what} has the versions it was built for: {shown}':
        '{what} 所需的版本均已满足：{shown}',
    'no torch_mlu package found: no requirements to compare':
        '未找到 torch_mlu 包：没有需要比较的版本要求',
    '{what} declares no requirements here (no build.property next to {path})':
        '{what} 在此没有声明版本要求（{path} 旁没有 build.property）',
    '{what} needs newer components: {labels}':
        '{what} 需要更新的组件：{labels}',
    '{what} declares {n} requirement(s), but no installed version could be read: {names}':
        '{what} 声明了 {n} 项版本要求，但读不到任何已安装的版本：{names}',
    'not judged (no installed version source): {names}':
        '未作判断（没有已安装版本的来源）：{names}',
    'unknown: {names}':
        '未知：{names}',
    '{path} (what the loader resolves {lib} to)':
        '{path}（链接器将 {lib} 解析到的文件）',
    'Upgrade the host driver to {need} or later (the driver lives on the host, not in the container).':
        '把主机驱动升级到 {need} 或更新版本（驱动在主机上，不在容器里）。',
    'Run it with Python {need} (the torch_mlu wheel is built for that CPython only), or install the '
    'torch_mlu wheel built for Python {have}.':
        '请用 Python {need} 运行（torch_mlu wheel 只适用于该 CPython 版本），或安装为 Python {have} 构建的 '
        'torch_mlu wheel。',
    'Install {label} {need} or later (CNToolkit packages under $NEUWARE_HOME), or use the torch_mlu release '
    'built for {label} {have}.':
        '请安装 {label} {need} 或更新版本（$NEUWARE_HOME 下的 CNToolkit 软件包），或改用为 {label} {have} '
        '构建的 torch_mlu 版本。',
    "At import torch_mlu warns 'Cambricon NEUWARE minimum version requirements not met!' and MLU ops may "
    "fail.":
        "导入时 torch_mlu 会警告 'Cambricon NEUWARE minimum version requirements not met!'，MLU "
        "算子可能失败。",
    'Show the compatibility data instead: Cambricon PyTorch releases with their cards, driver, toolkit and '
    'torch.':
        '改为显示兼容性数据：寒武纪 PyTorch 各版本所对应的卡、驱动、工具包和 torch。',
    'source':
        '来源',
    'develop branch':
        '开发分支',
    "Or stay on driver {driver}: the newest {framework} release in mlu-doctor's compatibility data that it "
    "runs is {version} (torch {torch}; needs driver >= {need}; source: {source}).":
        '或者继续使用驱动 {driver}：mlu-doctor 兼容性数据中它能运行的最新 {framework} 版本是 '
        '{version}（torch {torch}；需要驱动 >= {need}；来源：{source}）。',
    # runtime.import / runtime.device-op / check --runtime (issue 14)
    "torch and torch_mlu import under the user's interpreter (check --runtime)":
        'torch 和 torch_mlu 能在用户的解释器中导入（check --runtime）',
    'Two tensors added on mlu:0 and copied back (check --runtime)':
        '在 mlu:0 上相加两个张量并拷回（check --runtime）',
    'import torch {torch} and torch_mlu {mlu} succeeded ({python})':
        'import torch {torch} 和 torch_mlu {mlu} 成功（{python}）',
    '{names}: added two tensors on mlu:0 and copied back {values} in {seconds} s':
        '{names}：在 mlu:0 上相加两个张量并拷回 {values}，用时 {seconds} 秒',
    '{what} failed: {error}':
        '{what} 失败：{error}',
    '{n} device(s)':
        '{n} 个设备',
    'exit {code} after {seconds} s':
        '{seconds} 秒后退出，退出码 {code}',
    'the runtime was not probed (opt-in): mlu-doctor check --runtime imports torch and torch_mlu under your '
    'interpreter and adds two tensors on mlu:0':
        '未探测运行时（需主动开启）：mlu-doctor check --runtime 会在你的解释器中导入 torch 和 torch_mlu，'
        '并在 mlu:0 上相加两个张量',
    'the runtime was not probed: {reason}':
        '未探测运行时：{reason}',
    '{what} failed: {error}: a CUDA build on a host without CUDA (this build cannot use the MLU)':
        '{what} 失败：{error}：这是 CUDA 版本，而主机上没有 CUDA（这个版本无法使用 MLU）',
    'an extension module':
        '某个扩展模块',
    '{what} failed: undefined symbol {symbol} in {file}':
        '{what} 失败：{file} 中有未定义的符号 {symbol}',
    '{python} has no torch ({error})':
        '{python} 中没有 torch（{error}）',
    'Read the traceback in the evidence; mlu-doctor explain FILE maps known errors to fixes.':
        '请阅读证据中的 traceback；mlu-doctor explain FILE 可以把已知错误对应到修复方法。',
    '{python} exited {code} before the probe started: {output}':
        '{python} 在探测开始前就退出了，退出码 {code}：{output}',
    'the interpreter stopped before {stage} (exit {code}) and printed nothing the probe understands':
        '解释器在 {stage} 之前停止（退出码 {code}），没有输出探测能理解的内容',
    'not reached: the import did not succeed or did not finish (see runtime.import)':
        '未执行：导入没有成功或没有完成（见 runtime.import）',
    '{stage} did not finish within {seconds} s; the process and its children were killed':
        '{stage} 在 {seconds} 秒内没有完成；进程及其子进程已被终止',
    'the process ended during the device op (exit {code})':
        '进程在设备运算期间结束（退出码 {code}）',
    'Install the torch_mlu build of the framework (see framework.torch-pairing).':
        '请安装该框架的 torch_mlu 版本（见 framework.torch-pairing）。',
    "The dynamic loader did not find {lib} for this interpreter's environment.":
        '动态链接器在该解释器的环境中找不到 {lib}。',
    'See framework.libraries (mlu-doctor check --only framework.libraries) for where the loader looked and '
    'the fix.':
        '链接器查找过哪些位置以及如何修复，见 framework.libraries（mlu-doctor check --only '
        'framework.libraries）。',
    '{file} was built against another torch / torch_mlu than the one installed (an ABI mismatch).':
        '{file} 是针对另一个 torch / torch_mlu 构建的，与已安装的版本不符（ABI 不匹配）。',
    "Reinstall (or rebuild) {file}'s package for the installed torch and torch_mlu, or put back the torch it "
    "was built for (see framework.torch-pairing).":
        '请为已安装的 torch 和 torch_mlu 重新安装（或重新编译）{file} 所属的软件包，或者换回它构建时所用的 '
        'torch（见 framework.torch-pairing）。',
    'Run with the interpreter of your Cambricon PyTorch environment (--python PATH).':
        '请使用寒武纪 PyTorch 环境的解释器运行（--python PATH）。',
    'Check that --python names a working Python 3.6+ interpreter.':
        '请确认 --python 指向一个可用的 Python 3.6+ 解释器。',
    'A device call that hangs points at the driver: check cnmon and dmesg on the host.':
        '设备调用卡住通常是驱动的问题：请在主机上检查 cnmon 和 dmesg。',
    'torch.mlu.is_available() is {available} and {count} device(s) are visible to {python}':
        'torch.mlu.is_available() 为 {available}，{python} 能看到 {count} 个设备',
    'listing the MLU devices failed: {error}':
        '列出 MLU 设备失败：{error}',
    'Check the driver and the device nodes (mlu-doctor check --only driver.,device.); in a container, '
    '/dev/cambricon_ctl and /dev/cambricon_devN must be passed with --device.':
        '请检查驱动和设备节点（mlu-doctor check --only driver.,device.）；在容器中，必须用 --device 传入 '
        '/dev/cambricon_ctl 和 /dev/cambricon_devN。',
    'adding two tensors on mlu:0 failed: {error}':
        '在 mlu:0 上相加两个张量失败：{error}',
    'adding two tensors on mlu:0 gave {values}, not [11.0, 22.0, 33.0]':
        '在 mlu:0 上相加两个张量得到 {values}，而不是 [11.0, 22.0, 33.0]',
    'An import that hangs usually waits on the driver: check it with cnmon and mlu-doctor check --only '
    'driver.; raise timeouts.runtime if the import is only slow.':
        '导入卡住通常是在等待驱动：请用 cnmon 和 mlu-doctor check --only driver. 检查；如果只是导入较慢，'
        '请调大 timeouts.runtime。',
    'no output':
        '无输出',
    'Also run your interpreter in a child process: import torch and torch_mlu, add two tensors on mlu:0 '
    '(opt-in; killed after the runtime timeout).':
        '同时在子进程中运行你的解释器：导入 torch 和 torch_mlu，在 mlu:0 上相加两个张量（需主动开启；'
        '超过运行时超时即终止）。',
    'Seconds before the --runtime child is killed (default {seconds:g}, or timeouts.runtime in the config).':
        '--runtime 子进程被终止前的秒数（默认 {seconds:g}，或配置中的 timeouts.runtime）。',
    '--runtime-timeout needs --runtime':
        '--runtime-timeout 需要与 --runtime 一起使用',
    '--runtime cannot be combined with --facts or --capture (a replay runs nothing)':
        '--runtime 不能与 --facts 或 --capture 一起使用（重放时不运行任何命令）',
    'killed after {seconds:.1f} s (the runtime timeout)':
        '{seconds:.1f} 秒后被终止（运行时超时）',
    'not requested: run mlu-doctor check --runtime to import torch and torch_mlu and use mlu:0 under your '
    'interpreter':
        '未请求：运行 mlu-doctor check --runtime 可在你的解释器中导入 torch 和 torch_mlu 并使用 mlu:0',
    'no interpreter to run: give --python PATH (the interpreter your code runs with)':
        '没有可运行的解释器：请用 --python PATH 指定运行你代码的解释器',
    'commands are not run on {target}':
        '不会在 {target} 上运行命令',
    # capture, probe-script, check --capture, the Python API (mlu_doctor/capture/, api.py)
    "mlu-doctor: {n} requirement(s) not met: {checks}": "mlu-doctor：{n} 项要求未满足：{checks}",
    "could not be verified": "无法验证",
    "warning": "警告",
    "check crashed": "检查崩溃",
    "{path} is larger than {mib} MiB: not a capture": "{path} 大于 {mib} MiB：不是采集文件",
    "{path} nests JSON too deeply: not a capture": "{path} 的 JSON 嵌套过深：不是采集文件",
    "{path} is {kind}, not a capture": "{path} 是{kind}，不是采集文件",
    "cannot read capture {path}: {error}": "无法读取采集文件 {path}：{error}",
    "{path}: invalid capture: member {member} is missing or not a regular file":
        "{path}：无效的采集文件：成员 {member} 缺失或不是普通文件",
    "{path} is not a capture (a .tar.gz from `mlu-doctor capture`, or the JSON of `python3 probe.py`): "
    "{error}":
        "{path} 不是采集文件（应为 `mlu-doctor capture` 生成的 .tar.gz，或 `python3 probe.py` 输出的 JSON）："
        "{error}",
    "{path} inflates to more than {mib} MiB: not a capture": "{path} 解压后超过 {mib} MiB：不是采集文件",
    "{path} is not a readable capture tarball: {error}": "{path} 不是可读取的采集压缩包：{error}",
    "{path}: more than {n} members: not a capture": "{path}：成员多于 {n} 个：不是采集文件",
    "{path}: unsafe member name {name}: not a capture": "{path}：不安全的成员名 {name}：不是采集文件",
    "{path}: member {name} is larger than {mib} MiB": "{path}：成员 {name} 大于 {mib} MiB",
    "{path} is not an mlu-doctor capture (no \"format\": \"{format}\")":
        "{path} 不是 mlu-doctor 采集文件（没有 \"format\": \"{format}\"）",
    "{path} is capture version {version}; this mlu-doctor reads version {supported}: upgrade mlu-doctor or "
    "capture again with this version":
        "{path} 的采集格式版本为 {version}；此 mlu-doctor 只能读取版本 {supported}：请升级 mlu-doctor，"
        "或用此版本重新采集",
    "{path}: invalid capture: bad or missing {field}": "{path}：无效的采集文件：{field} 缺失或类型错误",
    "not in the capture (it was not run when it was recorded)": "采集中没有此命令（采集时未运行）",
    "invalid capture: the container's facts: {error}": "无效的采集文件：容器的事实数据：{error}",
    "The tarball to write (e.g. host.tar.gz).": "要写入的压缩包（例如 host.tar.gz）。",
    "the capture would be {mib} MiB, more than the {limit} MiB mlu-doctor reads; nothing was written":
        "采集结果将有 {mib} MiB，超过 mlu-doctor 能读取的 {limit} MiB；没有写入任何内容",
    "-o needs a file name (the capture is a binary tarball)": "-o 需要一个文件名（采集结果是二进制压缩包）",
    "wrote {path}{note}: {files} files and {runs} command outputs, {kib} KiB; replay it with "
    "`mlu-doctor check --capture {path}`":
        "已写入 {path}{note}：{files} 个文件和 {runs} 条命令输出，{kib} KiB；用 `mlu-doctor check --capture "
        "{path}` 重放",
    "Run the probes on a capture (mlu-doctor capture, or the JSON of the probe script).":
        "在采集结果上运行探测（mlu-doctor capture 生成的文件，或探测脚本输出的 JSON）。",
    "Write the script to FILE (default: standard output).": "把脚本写入 FILE（默认：标准输出）。",
    "wrote {path}; run `python3 {path} > facts.json` on the machine to diagnose, then "
    "`mlu-doctor check --capture facts.json` here":
        "已写入 {path}；在要诊断的机器上运行 `python3 {path} > facts.json`，再在这里运行 "
        "`mlu-doctor check --capture facts.json`",
    "--capture cannot be combined with {options} (the capture already holds them)":
        "--capture 不能与 {options} 同时使用（采集结果中已包含这些信息）",

    # --- recipes (fix/undo)
    "{where}, {statement} fails: No module named '{module}'":
        "{where}，{statement} 失败：No module named '{module}'",
    "mlu-doctor fix env.pythonpath puts {dir} on this Python's sys.path (a .pth file in its virtual "
    "environment); or move the script into {dir}; or run it with PYTHONPATH={dir}":
        'mlu-doctor fix env.pythonpath 会把 {dir} 加入这个 Python 的 sys.path（在其虚拟环境中放一个 .pth '
        '文件）；或者把脚本移到 {dir} 中；或者用 PYTHONPATH={dir} 运行它',
    ', {free} free': '，剩余 {free}',
    'TORCH_HOME={path} (writable{free})': 'TORCH_HOME={path}（可写{free}）',
    'Rename or remove {path}: its folder comes first on sys.path.': '重命名或删除 {path}：它所在的目录在 '
                                                                    'sys.path 中排在最前。',
    "{where}, {statement} resolves to {found}, not the project's {expected}":
        '{where}，{statement} 解析到了 {found}，而不是项目自己的 {expected}',
    'when {script} (outside the project) runs': '运行 {script}（在项目之外）时',
    'Code started from {cwd} (python -m, python -c, a notebook) would not find them: {statement} fails '
    'there.':
        '从 {cwd} 启动的代码（python -m、python -c、notebook）找不到它们：{statement} 在那里会失败。',
    '{kind} imports (utils, models) resolve to {dir} for its scripts, run from any folder':
        '{kind} 的脚本无论从哪个目录运行，其导入（utils、models）都解析到 {dir}',
    'TORCH_HOME={path} does not exist and cannot be created here{why}': 'TORCH_HOME={path} 不存在，'
                                                                        '且无法在此创建{why}',
    'TORCH_HOME={path} is not writable{why}': 'TORCH_HOME={path} 不可写{why}',
    'TORCH_HOME={path} has only {free} free; downloads of pretrained weights may fail':
        'TORCH_HOME={path} 只剩 {free} 空间；下载预训练权重可能失败',
    'import search path ({where})': '导入搜索路径（{where}）',
    'for the scripts in {dir}': '对于 {dir} 中的脚本',
    'from {cwd}': '从 {cwd}',
    'Point TORCH_HOME at a writable directory, e.g. export TORCH_HOME=$HOME/.cache/torch.':
        '把 TORCH_HOME 指向一个可写目录，例如 export TORCH_HOME=$HOME/.cache/torch。',
    'Free some space there, or point TORCH_HOME at a file system with at least {min} free.':
        '在那里腾出空间，或把 TORCH_HOME 指向至少有 {min} 剩余空间的文件系统。',
    'Undo what can be undone when some saved copies are missing.': '部分保存的副本缺失时，撤销仍能撤销的部'
                                                                   '分。',
    'everything is already undone ({n} fix journal(s) under {path}; `mlu-doctor undo --list` shows them)':
        '所有修复都已撤销（{path} 下有 {n} 个修复日志；`mlu-doctor undo --list` 可列出）',
    'journal {id} is already undone': '日志 {id} 已经撤销',
    'journal {id}: {n} of {total} change(s) cannot be undone (listed above); nothing was changed. '
    '`mlu-doctor undo {id} --partial` undoes the other {rest}.':
        '日志 {id}：{total} 项更改中有 {n} 项无法撤销（见上文）；未做任何更改。`mlu-doctor undo {id} '
        '--partial` 可撤销其余 {rest} 项。',
    'removed {path}': '已删除 {path}',
    '{path}: already as before the fix': '{path}：已经是修复前的状态',
    'mlu-doctor: journal {id} is only partly undone ({n} change(s) skipped, listed above)':
        'mlu-doctor：日志 {id} 只撤销了一部分（跳过了 {n} 项更改，见上文）',
    'cannot undo {path}: {why}': '无法撤销 {path}：{why}',
    'can undo {path}': '可以撤销 {path}',
    '{path}: acknowledge names unknown check id(s): {ids}; they acknowledge nothing (see `mlu-doctor list`)':
        '{path}：acknowledge 中有未知的检查 ID：{ids}；它们不会确认任何结果（见 `mlu-doctor list`）',
    '{link} no longer leads to {path}; run the fix again': '{link} 已不再指向 {path}；请重新运行修复',
    'the host shows a card but no /dev/cambricon_* nodes: load the driver on the host first':
        '主机能看到卡，但没有 /dev/cambricon_* 设备节点：请先在主机上加载驱动',
    "the host has no cnmon to bind-mount: install the driver's tools on the host first":
        '主机上没有可挂载的 cnmon：请先在主机上安装驱动自带的工具',
    'TORCH_HOME={path} is not writable here': 'TORCH_HOME={path} 在此不可写',
    'TORCH_HOME={path} has only {free} free': 'TORCH_HOME={path} 只剩 {free} 空间',
    "{path} comes before anything a .pth file adds (the script's folder, or site-packages): this change "
    "cannot override it; rename it":
        '{path} 排在 .pth 文件添加的路径之前（脚本所在目录或 site-packages）：这次更改无法覆盖它；请重命名它',
    'add this line to your shell start-up file yourself': '请自行把这一行加入你的 shell 启动文件',
    "Scoped to {venv}: scripts run with its python (from any folder) find {dir}'s utils and models; other "
    "Pythons, shells and projects are unchanged.":
        '仅作用于 {venv}：用它的 python 运行的脚本（无论从哪个目录）都能找到 {dir} 的 utils 和 models；其他 '
        'Python、shell 和项目不受影响。',
    'point TORCH_HOME at a writable directory with space, where you set it now (mlu-doctor does not override '
    'your setting)':
        '在你现在设置 TORCH_HOME 的地方，把它指向一个可写且有空间的目录（mlu-doctor 不会覆盖你的设置）',
    'create the directory': '创建该目录',
    'point --project at your yolov3/yolov5 checkout': '用 --project 指向你的 yolov3/yolov5 代码目录',
    'or move {script} into {dir}': '或者把 {script} 移到 {dir} 中',
    'run it with the project on its path': '运行时把项目加入其搜索路径',
    '{python} is not in a virtual environment: a .pth file there would reach every project and user of it, '
    'so mlu-doctor does not write one':
        '{python} 不在虚拟环境中：在那里放 .pth 文件会影响使用它的所有项目和用户，因此 mlu-doctor 不会写入',
    'put {dir} on sys.path of the virtual environment {venv}': '把 {dir} 加入虚拟环境 {venv} 的 sys.path',
    "an installed package {path} shadows the project's {module}; remove it": '已安装的包 {path} 遮蔽了项目的 '
                                                                             '{module}；请卸载它',
    "{path} comes before the project's {module} on sys.path; rename it or take its folder off PYTHONPATH":
        '{path} 在 sys.path 中排在项目的 {module} 之前；请重命名它，或把它所在目录从 PYTHONPATH 中去掉',
    'the checkout lacks {module}; restore it': '代码目录中缺少 {module}；请恢复它',
    '{what} is not a sha256 blob name': '{what} 不是 sha256 数据块名',
    '{what} is not a file mode': '{what} 不是文件权限模式',
    'an entry is not a write or mkdir record with a path': '有一条记录不是带路径的 write 或 mkdir 记录',
    '{path} is outside the targets the fix declared': '{path} 不在修复声明的目标之内',
    '{path}: the link is not an absolute path': '{path}：链接不是绝对路径',
    'no list of entries': '没有记录列表',
    'the declared targets are not a list of paths': '声明的目标不是路径列表',
    'not UTF-8 text ({reason} at byte {offset})': '不是 UTF-8 文本（第 {offset} 字节处：{reason}）',
    'not valid JSON ({error})': '不是有效的 JSON（{error}）',
    'cannot list fix journals in {path}: {error}': '无法列出 {path} 中的修复日志：{error}',
    'cannot keep a fix journal in {path}: {error}; nothing was changed (point XDG_STATE_HOME at a writable '
    'folder)':
        '无法在 {path} 中保存修复日志：{error}；未做任何更改（请把 XDG_STATE_HOME 指向一个可写目录）',
    'larger than {mib} MiB': '大于 {mib} MiB',
    'it is {kind}, not a regular file': '它是{kind}，不是普通文件',
    'journal {id} ({path}) cannot be used: {why}; nothing was changed': '日志 {id}（{path}）无法使用：{why}；'
                                                                        '未做任何更改',
    '{link} -> {path} (symlink): the target is edited': '{link} -> {path}（符号链接）：修改的是链接目标',
    'refused: {reason}': '已拒绝：{reason}',
    '{path} is {kind}; mlu-doctor edits regular files only': '{path} 是{kind}；mlu-doctor 只修改普通文件',
    '{path} is a symbolic link; mlu-doctor does not write through it': '{path} 是符号链接；mlu-doctor '
                                                                       '不会通过它写入',
    '{path} is {kind}, not a folder': '{path} 是{kind}，不是目录',
    '{path}: not an absolute, normalised path': '{path}：不是规范化的绝对路径',
    '{path} is larger than {mib} MiB; mlu-doctor does not edit it': '{path} 大于 {mib} MiB；mlu-doctor '
                                                                    '不会修改它',
    'exit {code}: {why}': '退出码 {code}：{why}',
    'source {path} from {rc}': '在 {rc} 中加载 {path}',
    'a file': '一个文件',
    'not a regular file (a FIFO, socket or device)': '不是普通文件（FIFO、套接字或设备）',
    '{path}: too many levels of symbolic links': '{path}：符号链接层数过多',
    'cannot create {path}: {why}': '无法创建 {path}：{why}',
    '{path} cannot be read; mlu-doctor edits only files it can read': '{path} 无法读取；mlu-doctor '
                                                                      '只修改能读取的文件',
    '{path} -> {target} (symlink) leads outside HOME ({home}); mlu-doctor does not write there':
        '{path} -> {target}（符号链接）指向 HOME（{home}）之外；mlu-doctor 不会写入那里',
    '{path} -> {target} (symlink) leads to a missing file': '{path} -> {target}（符号链接）指向的文件不存在',
    'its saved copy (blobs/{digest}) is missing or damaged': '它保存的副本（blobs/{digest}）缺失或已损坏',
    '{link} -> {path} (symlink kept)': '{link} -> {path}（符号链接保持不变）',
    'its folder {path} is gone': '它所在的目录 {path} 已不存在',
    'its saved copy is missing or damaged': '它保存的副本缺失或已损坏',
    'not empty (something was added since the fix), left in place': '非空（修复之后又添加了内容），保留不动',
    '`mlu-doctor undo` reverts what was applied.': '`mlu-doctor undo` 可撤销已应用的更改。',
    '{recipe} failed: {error}': '{recipe} 失败：{error}',
    'after {recipe}, {id} still reports {status}: {summary}': '执行 {recipe} 之后，{id} 仍然报告 {status}：'
                                                              '{summary}',
    '{recipe} was not applied: {reason}': '{recipe} 未应用：{reason}',
    'every fix applied and the checks it claims to fix pass': '所有修复均已应用，它们所针对的检查都已通过',
    'Next: {remedy}': '下一步：{remedy}',
    'Not fixed by this run (no recipe; they do not change the exit code of fix, `mlu-doctor check` reports '
    'them):':
        '本次未修复（没有修复方案；它们不影响 fix 的退出码，`mlu-doctor check` 会报告它们）：',
    'Next: do the steps marked ! above yourself, or change what blocks the fix and run it again.':
        '下一步：自己完成上面标有 ! 的步骤，或者消除阻止修复的原因后重新运行。',
    'you declined; nothing was changed': '你选择了不应用；未做任何更改',
    'Next: run `mlu-doctor fix --yes` to apply the plan above.': '下一步：运行 `mlu-doctor fix --yes` '
                                                                 '应用上面的计划。',
    'only the plan was shown (no terminal to ask)': '只显示了计划（没有可供确认的终端）',
    'Next: run again with --yes to apply.': '下一步：加上 --yes 重新运行以应用。',
    'Next: run `mlu-doctor fix` on that system itself.': '下一步：在那个系统上直接运行 `mlu-doctor fix`。',
    'Next: run again without --dry-run, with --yes, to apply.': '下一步：去掉 --dry-run、加上 --yes '
                                                                '重新运行以应用。',
    'dry run: nothing was changed': '试运行：未做任何更改',
    'steps remain for you: {what}': '还有需要你完成的步骤：{what}',
    'nothing to fix: no warning or failure has a recipe': '无需修复：没有哪个警告或失败有修复方案',
    'already in place': '已经就绪',
    'Next: open a new shell (or run: {command}) so the changes take effect.': '下一步：打开新的 '
                                                                              'shell（或运行：{command}）'
                                                                              '使更改生效。',
    'Next: run the commands marked ! above yourself.': '下一步：自己运行上面标有 ! 的命令。',
    'Next: deal with the cause above and run the fix again.': '下一步：处理上面的原因后重新运行修复。',
    "see the plan's notes above": '见上面计划中的说明',

    # --- polish: help text
    "Diagnose this host (or a captured root).\n\nGathers the facts once, runs the checks and reports the "
    "findings; the exit code says if there are\nproblems.":
        "诊断本机（或采集下来的根目录）。\n\n只收集一次事实信息，运行各项检查并报告结果；"
        "退出码表示是否发现了问题。",
    "Run only these check ids or prefixes (repeat it, or give a comma list).":
        "只运行这些检查 ID 或前缀（可重复指定，也可用逗号分隔）。",
    "Skip these check ids or prefixes (repeat it, or give a comma list).":
        "跳过这些检查 ID 或前缀（可重复指定，也可用逗号分隔）。",
    "Explain the known errors in a failing log.\n\nFor each: the lines, the cause, the fix and what to run "
    "next.":
        "解释出错日志中的已知错误。\n\n逐条给出所在行、原因、修复方法和下一步要运行的命令。",
    "Print the gathered facts as JSON.\n\nAttach them to a bug report; `mlu-doctor check --facts FILE` "
    "replays them.":
        "以 JSON 格式打印收集到的事实信息。\n\n可附在问题报告中；`mlu-doctor check --facts FILE` "
        "可以重放它们。",
    "Only these sections (repeat it, or give a comma list): {sections}.":
        "只输出这些部分（可重复指定，也可用逗号分隔）：{sections}。",
    "Download COCO and build YOLO labels.\n\nMirror-first, resumable, checked against pinned SHA-256; yolov3 "
    "or yolov5 layout, labels from the\nannotations.":
        "下载 COCO 并生成 YOLO 标签。\n\n优先使用镜像站，可续传，按固定的 SHA-256 校验；支持 yolov3 或 "
        "yolov5 目录布局，标签根据官方标注生成。",
    "train, val, test, annotations, labels (repeat it, or give a comma list; default: all but test).":
        "train、val、test、annotations、labels（可重复指定，也可用逗号分隔；默认：除 test 外全部）。",
    "Fix what the checks found: plan, ask, apply, re-check.\n\nAsks before applying (default no); re-runs "
    "the checks each recipe claims to fix.\nUndo with `mlu-doctor undo`.":
        "修复检查发现的问题：计划、询问、执行、复查。\n\n执行前先询问（默认不执行）；"
        "之后重新运行各修复方案所针对的检查。用 `mlu-doctor undo` 撤销。",
    "Undo a fix: restore the files it changed.\n\nByte for byte; the files and folders it created are "
    "removed.":
        "撤销一次修复：恢复它改动过的文件。\n\n逐字节恢复；它新建的文件和目录会被删除。",
    "Recipe or check ids, also as comma lists (default: every warn/fail with a recipe).":
        "修复方案或检查 ID，也可用逗号分隔（默认：所有有修复方案的 warn/fail 结果）。",
    "Copy a host folder into a running container.\n\nThe contents of SRC go into DEST: streamed, resumable "
    "(only what is missing is sent), verified.":
        "把主机上的目录拷贝到运行中的容器。\n\n把 SRC 中的内容放进 DEST：流式传输、"
        "可续传（只发送缺少的部分）、会校验。",
    "List the checks, their fact needs and fix recipes.": "列出检查项、所需的事实信息和修复方案。",
    "Run the checks as a node-problem-detector plugin.\n\nPrints one line; exit 0 ok, 1 problem, 2 unknown.":
        "作为 node-problem-detector 插件运行检查。\n\n只输出一行；退出码 0 表示正常，1 表示有问题，2 "
        "表示未知。",
    "Write a support report to attach to an issue.\n\nFILE gets Markdown (versions, findings with fixes and "
    "evidence, facts); the JSON twin goes beside it\n(rep.md -> rep.json).":
        "生成可附到 issue 中的支持报告。\n\nFILE 写入 Markdown（版本、带修复方法和证据的问题、事实信息）；"
        "同名的 JSON 文件写在它旁边（rep.md -> rep.json）。",
    "The Markdown file to write; the JSON twin goes beside it (rep.md -> rep.json).":
        "要写入的 Markdown 文件；同名的 JSON 文件写在它旁边（rep.md -> rep.json）。",

    # --- polish: click's usage errors, each one whole sentence
    "Missing command.": "缺少命令。",
    "No such option: {name}": "没有 {name} 这个选项。",
    "No such option: {name}. Did you mean {options}?": "没有 {name} 这个选项，你是不是想用 {options}？",
    "No such command {name!r}.": "没有 {name!r} 这个命令。",
    "No such command {name!r}. Did you mean {options}?": "没有 {name!r} 这个命令，你是不是想用 {options}？",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {n} arguments.": "选项 {name!r} 需要 {n} 个值。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受值。",
    "Missing argument {name}.": "缺少参数 {name}。",
    "Missing option {name}.": "缺少选项 {name}。",
    "Missing parameter {name}.": "缺少参数 {name}。",
    "Got unexpected extra arguments ({args})": "多余的参数：{args}。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "{value} is not a valid integer.": "{value} 不是有效的整数。",
    "{value} is not a valid number.": "{value} 不是有效的数字。",
    "{value} is not a valid boolean (true or false).": "{value} 不是有效的布尔值（true 或 false）。",
    "{value} is not in the range {range}.": "{value} 不在 {range} 范围内。",

    # --- polish: --python that is not Python
    "--python {path} is not a Python interpreter: asked to run a short script, {answer}":
        "--python {path} 不是 Python 解释器：让它运行一段小脚本，{answer}",
    "it could not be started: {error}": "它无法启动：{error}",
    "it exited {code} and printed: {output}": "它以退出码 {code} 结束，输出：{output}",
    "it exited {code} and printed nothing": "它以退出码 {code} 结束，没有任何输出",

    # --- polish: device.present and driver.loaded without evidence
    "{path} could not be listed": "无法列出 {path}",
    "no /proc/driver/cambricon (no driver to list the cards)":
        "没有 /proc/driver/cambricon（没有驱动来列出卡）",
    "cnmon not found": "找不到 cnmon",
    "cnmon {status}": "cnmon 状态：{status}",
    "unknown whether a Cambricon card is present: {why}": "无法确定是否有寒武纪卡：{why}",
    "Nothing could show a card or its absence. Looked at: {places}.":
        "没有任何来源能说明有没有卡。已查看：{places}。",
    "nothing": "无",
    "Not looked at: {what}.": "未能查看：{what}。",
    "{path} could not be listed; the PCI cards are unknown": "无法列出 {path}；PCI 卡的情况未知",
    "unknown whether the driver is loaded: cnmon hung ({error}) and nothing else shows the driver ({places})":
        "无法确定驱动是否已加载：cnmon 卡住了（{error}），也没有其他迹象表明驱动已加载（{places}）",
    "cambricon_drv not loaded ({source})": "cambricon_drv 未加载（{source}）",
    "no /proc/modules": "没有 /proc/modules",
    "no /proc/driver/cambricon": "没有 /proc/driver/cambricon",
    "no card in /proc/driver/cambricon": "/proc/driver/cambricon 中没有卡",

    # --- polish: list separators
    "; ": "；",

    # --- polish: inject output
    "would send {n} files ({size}), {e} entries; dry run: nothing was sent":
        "将发送 {n} 个文件（{size}），{e} 个条目；这是试运行，没有发送任何内容",
    "nothing to send: DEST already has every file ({s:.1f} s)":
        "无需发送：DEST 中已有全部文件（用时 {s:.1f} 秒）",
    "sent {n} files ({size}), {e} entries, in {b} batch(es), {s:.1f} s, {rate:.0f} MB/s":
        "已发送 {n} 个文件（{size}），{e} 个条目，分 {b} 批，用时 {s:.1f} 秒，{rate:.0f} MB/s",

    # --- polish: sentences and notes put together
    "{sentence} {next}": "{sentence}{next}",
    "{step} (run it yourself)": "{step}（请自行运行）",

    # --- polish: the summary line
    "{n} error": "{n} 项出错",
    "{n} fail": "{n} 项失败",
    "{n} warn": "{n} 项警告",
    "{n} skip": "{n} 项跳过",
    "{n} ok": "{n} 项通过",
    ", ": "，",
    " (+{n})": "（另有 {n} 项）",

    # --- polish: evidence shown once
    "[{source}] (shown above)": "[{source}]（见上文）",

    # --- polish: report -o
    "-o {path}: name the Markdown file (e.g. {md}); the JSON report is written beside it as {path}":
        "-o {path}：请指定 Markdown 文件（例如 {md}）；JSON 报告会以 {path} 写在它旁边",

    # --- polish: report -o twin

    # --- polish: --lang
    "mlu-doctor: --lang {value}: choose one of: {choices}": "mlu-doctor：--lang {value}：可选：{choices}",

    # --- polish: device.present details
    "/proc has no driver information (no /proc/modules, no /proc/driver)":
        "/proc 中没有驱动信息（没有 /proc/modules，也没有 /proc/driver）",
    "no PCI function with vendor 0xcabc": "没有厂商号为 0xcabc 的 PCI 设备",
    "no /proc/driver/cambricon/mlus entry": "/proc/driver/cambricon/mlus 中没有条目",
    "no card in cnmon": "cnmon 没有列出任何卡",
    "Found: {what}.": "查看结果：{what}。",
    # hostile input (issue 15): bounded readers, safe YAML, the proc seam
    '{path} is {kind}, not a log file{hint}': '{path} 是{kind}，不是日志文件{hint}',
    ' (to read standard input, use -)': '（要读取标准输入，请用 -）',
    'reading the log from the pipe {path} (waiting for its writer; Ctrl-C to stop)':
        '正在从管道 {path} 读取日志（等待写入方；按 Ctrl-C 停止）',
    'signature file': '签名文件',
    'config file {path}{source} is {kind}, not a file': '配置文件 {path}{source} 是{kind}，不是普通文件',
    'config file {path}{source} does not exist': '配置文件 {path}{source} 不存在',
    'config file': '配置文件',
    'manifest {error}': '清单 {error}',
    'manifest': '清单',
    '{path}: schema_version must be a whole number (this mlu-doctor writes {schema}), not {version}':
        '{path}：schema_version 必须是整数（本版 mlu-doctor 写入 {schema}），而不是 {version}',
    'printed more than {mib} MiB; stopped': '输出超过 {mib} MiB；已停止',
    'cannot read {what} {path}: {error}': '无法读取{what} {path}：{error}',
    '{path} is {kind}, not a {what}': '{path} 是{kind}，不是{what}',
    '{path}: {problem}: not a {what}': '{path}：{problem}：不是{what}',
    'larger than {size}': '大于 {size}',
    'tag {tag} is not allowed: plain YAML data only': '不允许使用标签 {tag}：只接受普通 YAML 数据',
    'nests JSON deeper than {depth} levels': 'JSON 嵌套超过 {depth} 层',
    'an alias refers to a collection that contains it': '别名引用了包含它自身的集合',
    'nested more than {depth} levels deep': '嵌套超过 {depth} 层',
    'duplicate key {key}': '重复的键 {key}',
    'more than {n} values once its aliases are expanded': '展开别名后超过 {n} 个值',
    'cannot read config file {path}{source}: {error}': '无法读取配置文件 {path}{source}：{error}',
    'not an HTTP answer': '不是 HTTP 应答',
    'no complete answer (status line and headers) within {seconds:.0f} s': '{seconds:.0f} 秒内没有收到完整的'
                                                                           '应答（状态行和头部）',
    # checks/dataset.py: a COCO smaller than the real one, with no fetch-coco record
    "COCO at {path} ({source}) is smaller than COCO: {notes}":
        "{path}（{source}）处的 COCO 比完整 COCO 小：{notes}",
    "No fetch-coco record says what was extracted here, so a deliberate subset cannot be told from an "
    "incomplete copy.":
        "这里没有 fetch-coco 的解压记录，无法区分有意使用的子集和不完整的副本。",
    "If this is not a subset on purpose, fetch the rest into {path} (mlu-doctor fix dataset.coco), or point "
    "datasets.coco in .mlu-doctor.yaml or $COCO_DIR at a complete copy.":
        "如果这不是有意使用的子集，请把缺少的部分下载到 {path}（mlu-doctor fix dataset.coco），"
        "或把 .mlu-doctor.yaml 中的 datasets.coco 或 $COCO_DIR 指向完整的副本。",

    # --- polish: capture help
    "Record what the probes read into a tarball.\n\nThe files and command outputs the probes read; `check "
    "--capture FILE` replays them.":
        "把探测读取的内容记录到压缩包中。\n\n包括探测读取的文件和命令输出；`check --capture FILE` "
        "可以重放它们。",
    "Write probe.py, a capture script for any Python 3.6+.\n\nRun it where mlu-doctor is not installed, then "
    "`check --capture` its output.":
        "写出 probe.py：可用任意 Python 3.6+ 运行的采集脚本。\n\n在未安装 mlu-doctor 的机器上运行它，再用 "
        "`check --capture` 检查其输出。",
    'not copied (not files, folders or links): {paths}': '未复制（不是文件、文件夹或链接）：{paths}',
    'NOT COPIED, could not be read in SRC: {paths}': '未复制，SRC 中无法读取：{paths}',
    '{n} path(s) of SRC could not be read and were not copied: {paths}': 'SRC 中有 {n} 个路径无法读取，'
                                                                         '未被复制：{paths}',
    'Next: make them readable (or remove them from SRC) and run the same command again: only what is missing '
    'is sent.':
        '下一步：让它们可读（或把它们移出 SRC），然后再次运行同一命令：只会发送缺少的部分。',
    'copying into {dest}': '向 {dest} 复制',
    'cannot use {path} for downloads: {error}': '无法用 {path} 存放下载：{error}',
    '{path} is {kind}, not a partial download of mlu-doctor: remove it and run again':
        '{path} 是{kind}，不是 mlu-doctor 的部分下载：删除它后重新运行',
    'it is {kind}': '它是{kind}',
    'it is a file': '它是一个文件',
    'it {error}': '它{error}',
}
