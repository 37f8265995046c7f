//! The rule card and the triage checklist in the browser.
