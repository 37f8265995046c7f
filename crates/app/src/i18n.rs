//! The page's words in English and Simplified Chinese. Components read the language from
//! context and look words up by key; a missing translation falls back to English.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    ZhCn,
}

impl Lang {
    /// The code the rules crate uses for a rule's guide (`note_i18n`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    pub fn from_code(code: &str) -> Lang {
        if code.to_ascii_lowercase().starts_with("zh") {
            Lang::ZhCn
        } else {
            Lang::En
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::ZhCn,
            Lang::ZhCn => Lang::En,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// (key, English, Chinese)
const WORDS: &[(&str, &str, &str)] = &[
    ("title", "EQL Playground", "EQL 演练场"),
    ("tagline", "Elastic EQL rules against your events — in the browser, nothing leaves it",
        "用你的事件测试 Elastic EQL 规则——全在浏览器中，数据不出本机"),
    ("language", "中文", "English"),
    ("language_label", "Switch language", "切换语言"),
    ("query", "EQL query", "EQL 查询"),
    ("events", "Events — paste NDJSON, or drop or choose a file", "事件——粘贴 NDJSON，或拖入/选择文件"),
    ("choose_file", "Choose file…", "选择文件…"),
    ("file", "File", "文件"),
    ("fields", "Fields", "字段"),
    ("timestamp_field", "Timestamp field", "时间戳字段"),
    ("tiebreaker_field", "Tiebreaker field", "决胜字段"),
    ("category_field", "Event category field", "事件类别字段"),
    ("none", "(none)", "（无）"),
    ("loading", "Loading events…", "正在加载事件…"),
    ("working", "Working…", "处理中…"),
    ("cancel", "Cancel", "取消"),
    ("cancelled", "Cancelled. Edit the query or the events to run again.", "已取消。编辑查询或事件即可重新运行。"),
    ("events_changed", "The events changed while they were being saved; choose Download again.", "保存期间事件已变化，请再次点击下载。"),
    ("sample_lab", "Sysmon lab capture (XML)", "Sysmon 实验采集（XML）"),
    ("converted_events", "events converted to ECS from a Windows event log", "个事件已从 Windows 事件日志转换为 ECS"),
    ("conversion_supplied", "host.id (from the computer name), host.hostname, host.os.*, data_stream.* and event.dataset are supplied by the playground, as an agent would add them — not read from the log. Each event lists them in playground.supplied.", "host.id（取自计算机名）、host.hostname、host.os.*、data_stream.* 和 event.dataset 由本工具按代理（agent）的做法补充，并非读自日志。每个事件都在 playground.supplied 中列出这些字段。"),
    ("host_id_rule", "host.id:", "host.id："),
    ("host_id_computer", "the computer name (or type one id for every event)", "计算机名（或输入一个用于所有事件的 ID）"),
    ("conversion_skipped", "records could not be read and were skipped", "条记录无法读取，已跳过"),
    ("conversion_generic", "events have no ECS mapping for their event id and keep the generic fields", "个事件的事件 ID 没有 ECS 映射，只保留通用字段"),
    ("download_converted", "Download the ECS events (NDJSON)", "下载 ECS 事件（NDJSON）"),
    ("results_changed", "The results changed while they were being saved; choose Download results again.", "保存期间结果已变化，请再次点击“下载结果”。"),
    ("save_failed", "The results could not be saved.", "无法保存结果。"),
    ("cards_capped", "Showing the first {shown} of {total} results; Download results has them all.", "仅显示 {total} 个结果中的前 {shown} 个；“下载结果”包含全部结果。"),
    ("more_input_errors", "… and {n} more malformed lines (skipped)", "……另有 {n} 行格式错误（已跳过）"),
    ("reading_rule", "Reading the rule…", "正在读取规则…"),
    ("query_error", "The query has an error", "查询有错误"),
    ("match", "match", "个匹配"),
    ("matches", "matches", "个匹配"),
    ("in_events", "in", "，事件数"),
    ("events_word", "events", ""),
    ("line", "line", "行"),
    ("term", "term", "条件"),
    ("missing_event", "no matching event (missing-event term)", "无匹配事件（缺失事件条件）"),
    ("by", "by", "按"),
    ("tab_results", "Results", "结果"),
    ("tab_events", "Events", "事件"),
    ("tab_triage", "Triage", "分诊"),
    ("tab_tune", "Tune", "调优"),
    ("tab_pack", "Rule pack", "规则包"),
    ("pack_title", "Run a whole rule pack", "运行整个规则包"),
    ("pack_hint", "Choose or drop a Kibana rules export (.ndjson), detection-rules TOML files, a folder or a zip of them: every EQL rule runs over the loaded events in one pass, each with its own settings, and gives the results it gives loaded alone. Other rule types are listed as not run.",
        "选择或拖入 Kibana 规则导出文件（.ndjson）、detection-rules 的 TOML 文件、文件夹或其 zip：每条 EQL 规则按各自的设置，在一次遍历中对已加载的事件运行，结果与单独加载该规则时相同。其他类型的规则列为未运行。"),
    ("pack_files", "Choose rule files or a zip…", "选择规则文件或 zip…"),
    ("pack_folder", "Choose a folder…", "选择文件夹…"),
    ("pack_close", "Close the pack", "关闭规则包"),
    ("pack_from", "Read from:", "读取自："),
    ("pack_more_files", "and {n} more files", "以及另外 {n} 个文件"),
    ("pack_reading", "Reading the rules…", "正在读取规则…"),
    ("pack_unreadable", "The rule pack could not be read.", "无法读取该规则包。"),
    ("pack_progress", "Running the rules… {percent} %", "正在运行规则…{percent}%"),
    ("pack_summary", "{rules} rules: {ran} ran, {fired} fired with {alerts} alerts over {events} events, in {seconds} s.",
        "{rules} 条规则：运行 {ran} 条，{fired} 条触发，共 {alerts} 个告警（{events} 个事件，用时 {seconds} 秒）。"),
    ("pack_exceptions", "Exception items that came with the pack hid {events} events from {rules} rules (each rule applies the lists it names, as in Kibana).",
        "规则包附带的例外条目对 {rules} 条规则隐藏了 {events} 个事件（与 Kibana 相同，每条规则只应用其引用的列表）。"),
    ("pack_show_rules", "Rules that fired", "触发的规则"),
    ("pack_show_hosts", "By host", "按主机"),
    ("pack_show_timeline", "Timeline", "时间线"),
    ("pack_filter", "Filter: name, severity, technique, host…", "筛选：名称、严重性、技术、主机…"),
    ("pack_alerts_capped", "The views hold the first {shown} of {total} alerts by time.", "视图中只包含按时间排序的前 {shown} 个告警（共 {total} 个）。"),
    ("pack_none_fired", "No rule of the pack fired on these events.", "规则包中没有规则在这些事件上触发。"),
    ("pack_download", "Download the alerts (NDJSON, as eqlplay scan prints them)", "下载告警（NDJSON，与 eqlplay scan 的输出相同）"),
    ("pack_building_block", "building block", "构建块"),
    ("pack_building_block_hint", "A building-block rule: Kibana keeps its alerts out of the Alerts table by default; they feed other rules.", "构建块规则：Kibana 默认不在告警表中显示其告警，它们供其他规则使用。"),
    ("pack_col_rule", "Rule", "规则"),
    ("pack_col_severity", "Severity", "严重性"),
    ("pack_col_risk", "Risk", "风险分"),
    ("pack_col_alerts", "Alerts", "告警"),
    ("pack_col_hosts", "Hosts", "主机"),
    ("pack_open", "Open this rule as if loaded alone: its results, explanations and triage checklist", "像单独加载一样打开此规则：查看其结果、解释和分诊清单"),
    ("pack_no_host", "(no host field)", "（无主机字段）"),
    ("pack_no_times", "No alert has a readable time.", "没有告警带有可读的时间。"),
    ("pack_not_run", "Not run, not EQL", "未运行（非 EQL）"),
    ("pack_failed", "Failed (rules that do not compile here, files that are not rules)", "失败（无法在此编译的规则、不是规则的文件）"),
    ("compare_title", "Compare two versions", "比较两个版本"),
    ("compare_hint", "Pin a version, then edit the query: the results the edit gains and loses show here, each with the reason.",
        "固定一个版本，然后编辑查询：编辑新增和失去的结果会显示在这里，并附上原因。"),
    ("pin", "Pin this query as the baseline", "将当前查询固定为基线"),
    ("pin_again", "Pin the current query instead", "改为固定当前查询"),
    ("compare_rule", "Compare with the rule as loaded", "与加载时的规则比较"),
    ("unpin", "Stop comparing", "停止比较"),
    ("compared_with_rule", "Compared with the rule as loaded.", "正在与加载时的规则比较。"),
    ("compared_with_pinned", "Compared with the pinned query.", "正在与固定的查询比较。"),
    ("baseline_invalid", "The baseline does not run:", "基线无法运行："),
    ("gained", "gained", "新增"),
    ("lost", "lost", "失去"),
    ("kept", "kept", "保留"),
    ("changes_capped", "The first {n} changes are listed.", "仅列出前 {n} 个变化。"),
    ("baseline_lacks", "The baseline has it not:", "基线没有它："),
    ("edit_has", "Now:", "现在："),
    ("edit_lacks", "The edit has it not:", "编辑后没有它："),
    ("baseline_has", "In the baseline:", "在基线中："),
    ("query_diff", "Changes since the baseline", "相对基线的改动"),
    ("exceptions_title", "Exceptions", "例外"),
    ("exceptions_hint", "As in Kibana, an event that an exception item matches is hidden from the rule before the query runs: it cannot take part in a sequence, though other events still can. Entries are AND-ed, items OR-ed; values compare exactly and case-sensitively; `matches` is a Lucene wildcard (a backslash escapes the next character).",
        "与 Kibana 相同：与某个例外条目匹配的事件在查询运行之前就对规则隐藏，它不能参与序列，但其他事件仍然可以。条目之间为“与”，例外之间为“或”；值按原样、区分大小写比较；`matches` 是 Lucene 通配符（反斜杠转义下一个字符）。"),
    ("exceptions_open", "Open exception list…", "打开例外列表…"),
    ("exceptions_export", "Download as Kibana NDJSON", "下载为 Kibana NDJSON"),
    ("exception_field", "field, e.g. process.name", "字段，例如 process.name"),
    ("exception_operator", "operator", "运算符"),
    ("exception_value", "value (is one of: a, b)", "值（is one of：a, b）"),
    ("exception_add", "Add exception", "添加例外"),
    ("exception_and", "AND another entry", "再加一个条件（AND）"),
    ("exception_nested", "nested under (optional)", "嵌套于（可选）"),
    ("exception_off", "off", "已关闭"),
    ("exception_counts", "hid {events} events · suppressed {results} results", "隐藏 {events} 个事件 · 抑制 {results} 个结果"),
    ("exceptions_only_with", "{n} results appear only with the exceptions: their sequences formed with events the hidden ones had taken.",
        "有 {n} 个结果只在应用例外后出现：它们的序列使用了被隐藏事件原本占用的位置。"),
    ("exception_unsupported", "Not applied:", "未应用："),
    ("exceptions_cannot_know", "The playground cannot know the value lists that live in the cluster, nor events that reach it late (ingest delay): it applies what is written here to the events loaded here.",
        "演练场无法得知集群中的值列表，也无法得知延迟到达的事件（摄取延迟）：它只把这里写的例外应用到这里加载的事件。"),
    ("exceptions_note", "{items} exception items hide {events} events from this query (Tune tab).", "{items} 个例外条目对此查询隐藏了 {events} 个事件（见“调优”标签）。"),
    ("remove", "Remove", "移除"),
    ("handover_title", "Take it to Elasticsearch", "迁移到 Elasticsearch"),
    ("handover_hint", "Files a real cluster needs to give these results: load the template, then the events (into the data stream {index}), run the search; import the rule in Kibana (Security → Rules → Import). Step by step in docs/elasticsearch.md.",
        "真实集群重现这些结果所需的文件：先加载索引模板，再加载事件（写入数据流 {index}），然后运行搜索；在 Kibana 中导入规则（Security → Rules → Import）。详细步骤见 docs/elasticsearch.md。"),
    ("handover_template", "Index template", "索引模板"),
    ("handover_bulk", "Events (_bulk)", "事件（_bulk）"),
    ("handover_search", "_eql/search body", "_eql/search 请求体"),
    ("handover_rule", "Rule for Kibana", "Kibana 规则"),
    ("field_unseen", "a rule reading it matches nothing here (a misspelt name, or data without it)", "读取它的规则在这里不会匹配任何事件（字段名拼错，或数据中没有它）"),
    ("schedule_title", "Kibana's schedule", "Kibana 调度"),
    ("schedule_hint", "Run the rule as Kibana's detection engine does: every interval, over its look-back window, at most max_signals alerts per run, never alerting twice on the same events — and see which results no run would ever alert on, and why.",
        "像 Kibana 检测引擎那样运行规则：每个间隔运行一次，只看回溯窗口内的事件，每次最多 max_signals 个告警，同一组事件不重复告警——并查看哪些结果永远不会被任何一次运行告警，以及原因。"),
    ("schedule_open", "Simulate the schedule", "模拟调度"),
    ("schedule_settings", "Runs every {interval}, each over [run − look-back, run] (from {from}) · at most {max} alerts per run · windows cut on {field}",
        "每 {interval} 运行一次，每次查看 [运行时刻 − 回溯, 运行时刻]（from {from}）· 每次最多 {max} 个告警 · 窗口按 {field} 划分"),
    ("schedule_start", "First run", "首次运行"),
    ("schedule_start_hint", "at the first event (or an RFC 3339 time)", "在第一个事件时（或 RFC 3339 时间）"),
    ("close", "Close", "关闭"),
    ("schedule_summary", "{runs} runs · {alerts} alerts · {never} results never alerted", "{runs} 次运行 · {alerts} 个告警 · {never} 个结果从未告警"),
    ("never_alerted", "Never alerted", "从未告警"),
    ("runs_that_alerted", "Runs that alerted, cut or skipped duplicates", "产生告警、截断或跳过重复的运行"),
    ("missed_long", "its events span {span}, longer than the {lookback} each run looks back: no window holds them all",
        "它的事件跨度为 {span}，超过每次运行回溯的 {lookback}：没有任何窗口能同时包含它们"),
    ("missed_cut", "cut by max_signals ({max}) in every run whose window held it", "在每个包含它的窗口中都被 max_signals（{max}）截掉"),
    ("missed_outside", "no run's window held all its events (before the first run or after the last)", "没有任何运行的窗口包含它的全部事件（在首次运行之前或最后一次之后）"),
    ("alerts_on", "alerts on", "告警"),
    ("run_duplicates", "{n} already alerted, not again", "{n} 个已告警，不再重复"),
    ("run_cut", "{n} cut by max_signals", "{n} 个被 max_signals 截掉"),
    ("run_at", "run at", "运行于"),
    ("schedule_cannot_know", "The playground cannot know ingest delay: it takes every event as searchable at its own time. Kibana also catches up missed runs, which this simulation does not need (no run is missed here).",
        "演练场无法得知摄取延迟：它认为每个事件在其自身时间即可被搜索。Kibana 还会补跑错过的运行，本模拟中不会错过运行，因此不需要。"),
    ("rule", "Rule", "规则"),
    ("results", "Results", "结果"),
    ("severity", "Severity", "严重程度"),
    ("risk_score", "Risk score", "风险评分"),
    ("tags", "Tags", "标签"),
    ("indices", "Index patterns", "索引模式"),
    ("schedule", "Schedule", "计划"),
    ("runs_every", "runs every", "每隔"),
    ("looks_back", "looks back", "回溯"),
    ("mitre", "MITRE ATT&CK", "MITRE ATT&CK"),
    ("checklist", "Investigation checklist", "调查清单"),
    ("progress", "done", "已完成"),
    ("previous", "Previous", "上一步"),
    ("next", "Next", "下一步"),
    ("done", "Done", "完成"),
    ("notes", "Notes", "备注"),
    ("export", "Export Markdown report", "导出 Markdown 报告"),
    ("copy", "Copy", "复制"),
    ("copied", "Copied", "已复制"),
    ("triage_alert", "Triage this alert", "分诊此告警"),
    ("near_misses", "Near misses", "险些匹配"),
    ("not_alerted", "beyond max_signals", "超出 max_signals"),
    ("export_results", "Download results", "下载结果"),
    ("export_results_title", "The results as JSON lines, each event with its line and source — what `eqlplay match --with-source` prints", "结果的 JSON Lines 文件，每个事件附行号与原文——与 `eqlplay match --with-source` 的输出相同"),
    ("not_alerted_title", "Kibana would not raise an alert for this result: the rule's max_signals caps the results of a run", "Kibana 不会为此结果产生告警：规则的 max_signals 限制了每次运行的结果数"),
    ("explain", "Why (not)?", "为何（不）匹配？"),
    ("share", "Copy share link", "复制分享链接"),
    ("all", "All", "全部"),
    ("matched", "Matched", "已匹配"),
    ("unmatched", "Unmatched", "未匹配"),
    ("max_alerts", "Max alerts", "最大告警数"),
    ("from", "from", "起始"),
    ("additional_lookback", "additional look-back", "额外回溯"),
    ("no_guide", "This rule has no investigation guide.", "此规则没有调查指南。"),
    ("triaging", "Alert under triage", "正在分诊的告警"),
    ("no_alert", "No alert chosen: use “Triage this alert” on a result to attach one.",
        "未选择告警：在结果上点击“分诊此告警”即可关联。"),
    ("step_note", "Note for this step", "此步骤的备注"),
    ("background", "Background", "背景"),
    ("timeline", "Timeline", "时间线"),
    ("copy_failed", "Copy failed", "复制失败"),
    ("copy_query", "Copy the query", "复制查询"),
    ("guide_warnings", "Guide warnings", "指南警告"),
    ("export_failed", "The report could not be saved.", "无法保存报告。"),
    ("share_no_events", "The events are too large for a link (over 512 KB) and are left out.", "事件过大（超过 512 KB），未包含在链接中。"),
    ("builtin_rule", "Built-in rule", "内置规则"),
    ("rule_file", "Rule file…", "规则文件…"),
    ("paste_rule", "Paste a rule", "粘贴规则"),
    ("paste_rule_hint", "A detection-rules TOML file, or Kibana's rule export (NDJSON or JSON)", "detection-rules 的 TOML 文件，或 Kibana 导出的规则（NDJSON 或 JSON）"),
    ("load_rule", "Load rule", "加载规则"),
    ("bare_query", "Bare query", "仅查询"),
    ("samples", "Samples:", "示例："),
    ("sample_download", "script download", "脚本下载"),
    ("sample_benign", "benign", "良性"),
    ("time_span", "Time from the first to the last event", "从第一个到最后一个事件的时间"),
    ("tab_learn", "Learn", "学习"),
    ("learn_loading", "Loading the course…", "正在加载课程…"),
    ("learn_level", "Level", "级别"),
    ("learn_solved_of", "solved", "已完成"),
    ("learn_task", "Task", "任务"),
    ("learn_check", "Check", "检查"),
    ("learn_answer", "Your answer", "你的答案"),
    ("learn_query_hint", "Write your query in the query editor on the left, then check it.", "在左侧的查询编辑器中写查询，然后检查。"),
    ("learn_hint", "Take a hint", "查看提示"),
    ("learn_hint_cost", "points", "分"),
    ("learn_details", "Show which results and why", "显示哪些结果以及原因"),
    ("learn_solved", "Solved", "已解决"),
    ("learn_not_yet", "Not yet", "还没有"),
    ("learn_score", "Score", "得分"),
    ("learn_explanation", "Why", "原因"),
    ("learn_prev", "Previous", "上一题"),
    ("learn_next", "Next", "下一题"),
    ("learn_export", "Export progress", "导出进度"),
    ("learn_requires", "Solve first:", "请先完成："),
    ("learn_builtin", "Built-in course", "内置课程"),
    ("learn_pack_file", "Exercise pack (.toml or .zip)…", "练习包（.toml 或 .zip）…"),
    ("learn_pack_link", "Link to this pack", "本练习包的链接"),
    ("learn_pack_link_note", "Copied. The pack and its events travel inside the link; nothing is uploaded.", "已复制。练习包及其事件都在链接中，不会上传任何内容。"),
    ("results_hidden", "Results are hidden while you predict them: answer in the Learn tab and check, then they show.", "预测期间结果被隐藏：请在“学习”标签中作答并检查，之后即可看到结果。"),
];

/// The word for `key` in `lang`.
pub fn tr(lang: Lang, key: &str) -> &'static str {
    match WORDS.iter().find(|(k, _, _)| *k == key) {
        Some((_, en, zh)) => match lang {
            Lang::ZhCn if !zh.is_empty() => zh,
            _ => en,
        },
        None => "",
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_built_checklists_are_the_page_languages() {
        assert_eq!(crate::languages::CODES, [Lang::En.code(), Lang::ZhCn.code()]);
    }
    use super::*;

    #[test]
    fn every_key_has_both_languages_and_is_unique() {
        for (i, (key, en, _)) in WORDS.iter().enumerate() {
            assert!(!en.is_empty(), "{key} has no English");
            assert!(WORDS[i + 1..].iter().all(|(k, _, _)| k != key), "{key} twice");
        }
        assert_eq!(tr(Lang::ZhCn, "cancel"), "取消");
        assert_eq!(tr(Lang::En, "cancel"), "Cancel");
    }
}
