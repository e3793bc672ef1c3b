"""Simplified Chinese catalog: English template -> Chinese template (same {fields}).

Missing entries fall back to English. `python scripts/i18n_missing.py --stub` prints what to add.
"""

MESSAGES: dict[str, str] = {
    # checks/device.py
    "A Cambricon MLU card is visible": "可以看到寒武纪 MLU 卡",
    "no Cambricon device found; looked at {places}": "未找到寒武纪设备；已检查 {places}",
    "{n} card(s): {cards}": "{n} 张卡：{cards}",
    "No PCI function with vendor 0xcabc, no /proc/driver/cambricon/mlus entry and no card in cnmon.":
        "没有厂商号为 0xcabc 的 PCI 设备，/proc/driver/cambricon/mlus 中没有条目，cnmon 也没有列出任何卡。",
    "Run on a host with an MLU card; in a container, also check that the host sees the card.":
        "请在装有 MLU 卡的主机上运行；如果在容器中，还要确认主机能看到这张卡。",
    # cli
    "Diagnose and fix PyTorch environments on Cambricon MLU hosts and containers.":
        "诊断并修复寒武纪 MLU 主机和容器上的 PyTorch 环境。",
    "Print the version.": "打印版本号。",
    "Diagnose this host (or a captured root) and report findings.": "诊断本机（或采集下来的根目录）并报告发现的问题。",
    "Inspect the system whose files are under DIR (a capture, a mount).": "检查文件位于 DIR 下的系统（采集的快照或挂载点）。",
    "The Python interpreter your code runs with.": "运行你的代码所用的 Python 解释器。",
    "Your project directory (default: the current directory).": "你的项目目录（默认：当前目录）。",
    "Seconds before a probe command is killed (default 3).": "探测命令被终止前的秒数（默认 3）。",
    "Show details and evidence.": "显示详细信息和证据。",
    "Run only these check ids or prefixes.": "只运行这些检查 ID 或前缀。",
    "Skip these check ids or prefixes.": "跳过这些检查 ID 或前缀。",
    "Warnings make the exit code non-zero.": "有警告时退出码也不为零。",
    "Replay a facts JSON file instead of probing.": "重放 facts JSON 文件，而不是实际探测。",
    "Language of messages: en or zh (default: from LANG).": "消息语言：en 或 zh（默认取自 LANG）。",
    "Config file (default: $MLU_DOCTOR_CONFIG or ./.mlu-doctor.yaml).": "配置文件（默认：$MLU_DOCTOR_CONFIG 或 ./.mlu-doctor.yaml）。",
    "mlu-doctor: interrupted": "mlu-doctor：已中断",
    "mlu-doctor: internal error: {error} (this is a bug; crash log: {path})":
        "mlu-doctor：内部错误：{error}（这是一个 bug；崩溃日志：{path}）",
    "Print the gathered facts as JSON.": "以 JSON 格式打印收集到的事实信息。",
    "Output: json.": "输出格式：json。",
    "List the available checks, their fact needs and fix recipes.": "列出可用的检查、所需的事实信息和修复方案。",
    "human or json.": "human 或 json。",
    # cli/explain.py
    "Explain a failing log: the known errors in it, their cause, the fix and what to run next.":
        "解释出错的日志：其中已知的错误、原因、修复方法以及下一步要运行的命令。",
    "The log to read; - or nothing reads standard input.": "要读取的日志；- 或不指定则读取标准输入。",
    "Output: human or json.": "输出格式：human 或 json。",
    "A YAML file of extra signatures.": "包含额外错误特征的 YAML 文件。",
    "{path} is a directory, not a log file": "{path} 是目录，不是日志文件",
    "unknown format {fmt}; choose one of: {choices}": "未知格式 {fmt}；可选：{choices}",
    "cannot read {path}: {error}": "无法读取 {path}：{error}",
    "reading the log from standard input (end with Ctrl-D)": "正在从标准输入读取日志（按 Ctrl-D 结束）",
    # cli/report.py
    "Write a support report (Markdown and JSON): versions, facts and findings, ready to paste into an issue.":
        "生成支持报告（Markdown 和 JSON）：版本、事实信息和发现的问题，可直接粘贴到 issue 中。",
    "The Markdown file to write (FILE.json is written beside it).": "要写入的 Markdown 文件（同目录下另写 FILE.json）。",
    "Mask host and user names, home paths, IP/MAC addresses, serials, tokens.":
        "遮蔽主机名、用户名、家目录路径、IP/MAC 地址、序列号和令牌。",
    "Diagnose this running container.": "诊断这个正在运行的容器。",
    "generated": "生成时间",
    "host": "主机",
    "user": "用户",
    "system": "系统",
    "Python (mlu-doctor)": "Python（mlu-doctor）",
    "target": "诊断对象",
    " (redacted)": "（已脱敏）",
    "container {name}": "容器 {name}",
    "-o names the Markdown file; the JSON file is written beside it": "-o 指定的是 Markdown 文件；JSON 文件会写在它旁边",
    "wrote {md} and {json}{note}": "已写入 {md} 和 {json}{note}",
    "--container is not supported by this build yet": "当前版本尚不支持 --container",
    "cannot write {path}: {error}": "无法写入 {path}：{error}",
    # engine.py
    "not checked: {sections} facts unavailable": "未检查：缺少 {sections} 事实信息",
    "the check crashed: {error}": "检查崩溃：{error}",
    # explain/render.py
    "line {lines}": "第 {lines} 行",
    "lines {lines} ({count} in all)": "第 {lines} 行（共 {count} 行）",
    "{n} known problem(s) in {source} ({lines} lines read)": "{source} 中有 {n} 个已知问题（已读取 {lines} 行）",
    "cause: {cause}": "原因：{cause}",
    "fix: {remedy}": "修复：{remedy}",
    "no known error signature in {source} ({lines} lines read)": "{source} 中没有已知的错误特征（已读取 {lines} 行）",
    "next: {command}": "下一步：{command}",
    # report/human.py
    "no checks ran": "没有运行任何检查",
    "status": "状态",
    "check": "检查",
    "finding": "结果",
    "{n} acknowledged": "{n} 个已确认",
    "acknowledged: {reason}": "已确认：{reason}",
    "recipe: mlu-doctor fix {recipe}": "修复方案：mlu-doctor fix {recipe}",
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
    # --- perf-inject
    "--via exec needs `tar` in {name} and a local Docker socket; use --via archive":
        "--via exec 需要 {name} 中有 `tar` 且使用本机 Docker 套接字；请改用 --via archive",
}
