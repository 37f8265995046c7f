//! Take it to Elasticsearch: the files a real cluster needs to give the page's results — the
//! events as `_bulk` lines, an index template for them, the `_eql/search` body, and the rule
//! (edited query, enabled exceptions) for Kibana's import (`rules::export`; the steps are in
//! `docs/elasticsearch.md`).

use crate::i18n::{tr, Lang};
use yew::prelude::*;

/// Which file to make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HandOver {
    Bulk,
    Template,
    Search,
    Rule,
}

#[derive(Properties, PartialEq)]
pub struct HandOverProps {
    /// A rule is loaded (the Kibana rule needs one).
    pub has_rule: bool,
    /// The data stream the events go into.
    pub index: String,
    pub on_export: Callback<HandOver>,
}

#[function_component(HandOverSection)]
pub fn hand_over(props: &HandOverProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or_default();
    let button = |what: HandOver, key: &str, test_id: &'static str, enabled: bool| {
        html! {
            <button type="button" data-testid={test_id} disabled={!enabled}
                onclick={props.on_export.reform(move |_: MouseEvent| what)}>{ tr(lang, key) }</button>
        }
    };
    html! {
        <section class="handover" data-testid="to-elasticsearch">
            <h3>{ tr(lang, "handover_title") }</h3>
            <p class="muted">{ tr(lang, "handover_hint").replace("{index}", &props.index) }</p>
            <div class="buttons">
                { button(HandOver::Template, "handover_template", "export-template", true) }
                { button(HandOver::Bulk, "handover_bulk", "export-bulk", true) }
                { button(HandOver::Search, "handover_search", "export-search", true) }
                { button(HandOver::Rule, "handover_rule", "export-rule", props.has_rule) }
            </div>
        </section>
    }
}
