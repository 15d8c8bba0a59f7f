//! guideline: a compiler for security guidelines.
//!
//! Data flows one way: [`source`] (files) -> [`load`] (one typed [`model::Guideline`]) ->
//! [`lint`] (diagnostics) -> renderers. See ARCHITECTURE.md for the map.

#[macro_use]
pub mod lint;
pub mod applicability;
pub mod build;
pub mod check;
pub mod cli;
pub mod diagnostic;
pub mod diff;
pub mod disclosure;
pub mod fix;
pub mod html;
pub mod import;
pub mod load;
pub mod lsp;
pub mod model;
pub mod oscal;
pub mod output;
pub mod registry;
pub mod render;
pub mod serve;
pub mod sheet;
pub mod source;
pub mod syntax;
pub mod text;
pub mod typeset;
