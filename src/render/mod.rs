//! Renderers: each reads the model and produces one kind of output. None parses source.

pub mod catalog;
pub mod checklist;
pub mod diff;
pub mod oscal;
pub mod pdf;
pub mod site;
