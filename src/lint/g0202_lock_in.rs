use crate::diagnostic::Diagnostic;
use crate::model::{Guideline, Lang, Role};
use crate::registry::{Status, Technology};

declare_lint! {
    /// ## What it does
    /// Reports a normative statement that *requires* one technology while the registry knows
    /// another current technology in the same category that reaches equal or higher
    /// assurance (SP 800-63B AAL).
    ///
    /// ## Why is this bad?
    /// This is the edition 5.2 problem: section 6.11 required TLS client authentication with
    /// client certificates for HTTPS over open networks. FIDO authenticators reach AAL3, above
    /// client certificates in software (AAL2), yet the text made them look forbidden, and the
    /// cost of certificates kept small clinics away from cloud services. Requiring a named
    /// technology locks out better ones and ages with the technology.
    ///
    /// ## Example
    /// ```markdown
    /// ### 要求事項
    ///
    /// [TLSクライアント認証](required:tls-client-auth)を行うこと。
    /// ```
    ///
    /// ## Use instead
    /// State the outcome and give technologies as examples:
    /// ```markdown
    /// ### 要求事項
    ///
    /// 接続する端末と利用者を、AAL2以上の強度で認証すること。
    ///
    /// ### 解説
    ///
    /// 例えば[TLSクライアント認証](example:tls-client-auth)や[FIDO2](example:fido2)がある。
    /// ```
    "G0202", "lock-in", Error, Some(check)
}

/// Current technologies of the same category that reach at least `t`'s assurance,
/// strongest first.
pub fn alternatives<'a>(g: &'a Guideline, t: &Technology) -> Vec<&'a Technology> {
    let Some(aal) = t.aal else { return Vec::new() };
    let mut alts: Vec<&Technology> = g
        .registry
        .technologies
        .iter()
        .filter(|a| a.id != t.id && a.category == t.category && a.status == Status::Current)
        .filter(|a| a.aal.is_some_and(|x| x >= aal))
        .collect();
    alts.sort_by_key(|a| std::cmp::Reverse(a.aal));
    alts
}

fn check(g: &Guideline, out: &mut Vec<Diagnostic>) {
    for (_, _, control) in g.controls() {
        let Some(statement) = control.statement.get(Lang::Ja) else {
            continue;
        };
        for m in statement
            .mentions
            .iter()
            .filter(|m| m.role == Some(Role::Required))
        {
            let Some(t) = g.registry.get(&m.technology) else {
                continue;
            };
            let Some(aal) = t.aal else { continue };
            let alts = alternatives(g, t);
            let Some(strongest) = alts.first() else {
                continue;
            };
            let names: Vec<String> = alts
                .iter()
                .take(4)
                .filter_map(|a| Some(format!("{} ({})", a.name.en, a.aal?)))
                .collect();
            let outcome = match control.assurance.or(t.aal) {
                Some(level) => format!("for example 「{level}以上の強度で認証すること」"),
                None => "the outcome the reader must achieve".to_string(),
            };
            out.push(
                LINT.at(
                    g.sources.get(m.file),
                    m.span.clone(),
                    format!(
                        "statement of {} requires 「{}」 ({aal}), locking out {} which reaches {}",
                        control.id,
                        m.text,
                        strongest.name.en,
                        strongest.aal.map_or_else(String::new, |a| a.to_string())
                    ),
                )
                .label(format!("equal or stronger alternatives: {}", names.join(", ")))
                .help(format!(
                    "state the outcome ({outcome}) and give technologies as examples: `[{}](example:{})`, `[{}](example:{})`",
                    m.text, t.id, strongest.name.ja, strongest.id
                )),
            );
        }
    }
}
