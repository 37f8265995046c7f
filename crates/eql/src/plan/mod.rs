//! Query to executable plan: one compiled filter per term, the join keys, and the limits.

pub mod compile;
pub mod functions;
pub mod lucene_regex;
pub mod node;
pub mod wildcard;

use crate::data::{Dataset, FieldId, FieldTable, Mapping};
use crate::syntax::ast::{self, Category, PipeKind, Query, QueryBody};
use crate::syntax::{QueryError, Span};
use compile::Compiler;
use node::{Node, NodeKind};

/// Which end of the results `size` keeps (Elasticsearch's `result_position`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResultPosition {
    Head,
    /// Elasticsearch's default: the most recent results.
    #[default]
    Tail,
}

/// The `_eql/search` request parameters that change results.
#[derive(Clone, Debug)]
pub struct Settings {
    pub timestamp_field: String,
    pub tiebreaker_field: Option<String>,
    pub event_category_field: String,
    pub mapping: Option<Mapping>,
    /// The most results to return; `None` for no limit.
    pub size: Option<usize>,
    pub result_position: ResultPosition,
    pub max_samples_per_key: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            timestamp_field: "@timestamp".into(),
            tiebreaker_field: None,
            event_category_field: "event.category".into(),
            mapping: None,
            size: None,
            result_position: ResultPosition::Tail,
            max_samples_per_key: 1,
        }
    }
}

/// A join key field of a term.
#[derive(Clone, Debug)]
pub struct KeyField {
    pub field: FieldId,
    pub optional: bool,
    pub name: String,
}

/// One filter of a sequence or sample, after `runs` expansion.
#[derive(Clone, Debug)]
pub struct PlanTerm {
    pub filter: Node,
    pub keys: Vec<KeyField>,
    pub missing: bool,
    /// The term's position in the query as written (runs share one).
    pub source_term: usize,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum PlanKind {
    Event(PlanTerm),
    Sequence { terms: Vec<PlanTerm>, until: Option<PlanTerm>, maxspan: Option<i64> },
    Sample { terms: Vec<PlanTerm> },
}

#[derive(Clone, Debug)]
pub struct Plan {
    pub query: Query,
    pub kind: PlanKind,
    pub fields: FieldTable,
    pub timestamp: FieldId,
    pub tiebreaker: Option<FieldId>,
    pub category: FieldId,
    pub pipes: Vec<(PipeKind, usize)>,
    pub settings: Settings,
}

/// Parses and compiles a query.
pub fn compile_text(text: &str, settings: &Settings) -> Result<Plan, Vec<QueryError>> {
    let query = crate::syntax::parse(text)?;
    compile(query, settings)
}

pub fn compile(query: Query, settings: &Settings) -> Result<Plan, Vec<QueryError>> {
    compile_sharing(query, settings, &mut FieldTable::default())
}

/// Compiles a query whose field ids extend `fields`: plans compiled one after another through
/// the same table can run over one dataset read for the last plan's table (every id an earlier
/// plan holds means the same field there). A rule pack is read once this way.
pub fn compile_sharing(query: Query, settings: &Settings, fields: &mut FieldTable) -> Result<Plan, Vec<QueryError>> {
    let mut c = Compiler::new(settings.mapping.as_ref());
    c.fields = std::mem::take(fields);
    let result = compile_into(&mut c, query, settings);
    *fields = c.fields.clone();
    result.map(|mut plan| {
        plan.fields = c.fields;
        plan
    })
}

fn compile_into(c: &mut Compiler, query: Query, settings: &Settings) -> Result<Plan, Vec<QueryError>> {
    let timestamp = c.fields.intern(&settings.timestamp_field, settings.mapping.as_ref());
    let tiebreaker = settings.tiebreaker_field.as_ref().map(|f| c.fields.intern(f, settings.mapping.as_ref()));
    let category = c.fields.intern(&settings.event_category_field, settings.mapping.as_ref());
    let kind = match &query.body {
        QueryBody::Event(q) => PlanKind::Event(term(c, q, &[], &[], false, 0, q.span, category)),
        QueryBody::Sequence(seq) => {
            let mut terms = Vec::new();
            for (i, t) in seq.terms.iter().enumerate() {
                let compiled = term(c, &t.query, &seq.by, &t.by, t.missing, i, t.span, category);
                for _ in 0..t.runs.unwrap_or(1) {
                    terms.push(compiled.clone());
                }
            }
            let until = seq.until.as_ref().map(|t| {
                term(c, &t.query, &seq.by, &t.by, false, seq.terms.len(), t.span, category)
            });
            PlanKind::Sequence { terms, until, maxspan: seq.maxspan.map(|m| m.nanos()) }
        }
        QueryBody::Sample(sample) => {
            let terms = sample
                .terms
                .iter()
                .enumerate()
                .map(|(i, t)| term(c, &t.query, &sample.by, &t.by, false, i, t.span, category))
                .collect();
            PlanKind::Sample { terms }
        }
    };
    if !c.errors.is_empty() {
        let mut errors = std::mem::take(&mut c.errors);
        errors.sort_by_key(|e| e.span.start);
        return Err(errors);
    }
    let pipes = query
        .pipes
        .iter()
        .map(|p| (p.kind, usize::try_from(p.count).unwrap_or(usize::MAX)))
        .collect();
    // The caller puts the table in (it may be shared with other plans).
    Ok(Plan { query, kind, fields: FieldTable::default(), timestamp, tiebreaker, category, pipes, settings: settings.clone() })
}

impl Plan {
    /// The event categories every term (and `until`) of an event or sequence query names, or
    /// `None` when one reads any category (or the query is a sample): only events of these
    /// categories can take part in a result.
    pub fn categories(&self) -> Option<Vec<String>> {
        let terms: Vec<&PlanTerm> = match &self.kind {
            PlanKind::Event(t) => vec![t],
            PlanKind::Sequence { terms, until, .. } => terms.iter().chain(until.as_ref()).collect(),
            PlanKind::Sample { .. } => return None,
        };
        let mut names = Vec::new();
        for t in terms {
            let NodeKind::And(items) = &t.filter.kind else { return None };
            let Some(NodeKind::In { expr, values, fold: false }) = items.first().map(|n| &n.kind) else { return None };
            let NodeKind::Field { id, .. } = expr.kind else { return None };
            let [crate::data::Value::Str(name)] = values.as_slice() else { return None };
            if id != self.category {
                return None;
            }
            names.push(name.clone());
        }
        names.sort();
        names.dedup();
        Some(names)
    }
}

#[allow(clippy::too_many_arguments)]
fn term(
    c: &mut Compiler,
    q: &ast::EventQuery,
    shared_keys: &[ast::Expr],
    own_keys: &[ast::Expr],
    missing: bool,
    source_term: usize,
    span: Span,
    category: FieldId,
) -> PlanTerm {
    let condition = c.expr(&q.condition);
    let filter = match &q.category {
        Category::Any(_) => condition,
        Category::Named(name, cat_span) => {
            let cat = node::Node::new(
                NodeKind::In {
                    expr: Box::new(Node::new(NodeKind::Field { id: category, optional: false }, *cat_span)),
                    values: vec![crate::data::Value::Str(name.clone())],
                    fold: false,
                },
                *cat_span,
            );
            Node::new(NodeKind::And(vec![cat, condition]), q.span)
        }
    };
    let keys = shared_keys
        .iter()
        .chain(own_keys)
        .filter_map(|k| match &k.kind {
            ast::ExprKind::Field(f) => {
                let node = c.field(f);
                match node.kind {
                    NodeKind::Field { id, optional } => Some(KeyField { field: id, optional, name: f.dotted() }),
                    _ => None,
                }
            }
            _ => None,
        })
        .collect();
    PlanTerm { filter, keys, missing, source_term, span }
}

/// A plan's filters bound to a dataset: optional fields that no event has and the mapping does
/// not name read as null, as in Elasticsearch.
pub struct Bound {
    pub filters: Vec<Node>,
    pub until: Option<Node>,
    pub warnings: Vec<QueryError>,
}

impl Plan {
    /// Binds the filters to the data; fields neither mapped nor present are errors when a
    /// mapping was given (Elasticsearch's "Unknown column"), warnings otherwise.
    pub fn bind(&self, data: &Dataset) -> Result<Bound, Vec<QueryError>> {
        let has_mapping = self.settings.mapping.is_some();
        let unmapped = |id: FieldId| !self.fields.get(id).in_mapping && !data.seen(id);
        let mut problems = Vec::new();
        let mut check = |node: &Node| {
            visit_fields(node, &mut |id, optional, span| {
                if !optional && unmapped(id) {
                    let path = &self.fields.get(id).path;
                    let msg = if has_mapping {
                        format!("Unknown column [{path}]")
                    } else {
                        format!("no event has the field [{path}]")
                    };
                    problems.push(QueryError::new(msg, span));
                }
            })
        };
        let terms: Vec<&PlanTerm> = match &self.kind {
            PlanKind::Event(t) => vec![t],
            PlanKind::Sequence { terms, until, .. } => terms.iter().chain(until.as_ref()).collect(),
            PlanKind::Sample { terms } => terms.iter().collect(),
        };
        for t in &terms {
            check(&t.filter);
        }
        problems.sort_by_key(|e| e.span.start);
        problems.dedup();
        if has_mapping && !problems.is_empty() {
            return Err(problems);
        }
        let bind = |n: &Node| compile::bind(n, &unmapped);
        let (filters, until) = match &self.kind {
            PlanKind::Event(t) => (vec![bind(&t.filter)], None),
            PlanKind::Sequence { terms, until, .. } => {
                (terms.iter().map(|t| bind(&t.filter)).collect(), until.as_ref().map(|t| bind(&t.filter)))
            }
            PlanKind::Sample { terms } => (terms.iter().map(|t| bind(&t.filter)).collect(), None),
        };
        let mut field_comparisons = Vec::new();
        for f in filters.iter().chain(until.as_ref()) {
            find_field_comparisons(f, &mut field_comparisons);
        }
        if !field_comparisons.is_empty() {
            return Err(field_comparisons);
        }
        Ok(Bound { filters, until, warnings: problems })
    }
}

fn visit_fields(node: &Node, f: &mut impl FnMut(FieldId, bool, Span)) {
    if let NodeKind::Field { id, optional } = node.kind {
        f(id, optional, node.span);
    }
    for c in node.children() {
        visit_fields(c, f);
    }
}

/// Elasticsearch rejects comparing two fields; with optional fields this is known only once
/// the unmapped ones are null.
fn find_field_comparisons(node: &Node, out: &mut Vec<QueryError>) {
    if let NodeKind::Compare { lhs, rhs, .. } = &node.kind {
        if lhs.has_field() && rhs.has_field() {
            out.push(QueryError::new("Comparisons against fields are not supported", node.span));
        }
    }
    for c in node.children() {
        find_field_comparisons(c, out);
    }
}
