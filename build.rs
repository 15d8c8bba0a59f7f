//! Link settings for the binaries.
//!
//! `-z pack-relative-relocs` stores the binary's relative relocations (about 120,000, most of
//! them Typst's symbol tables) as a compact bitmap (DT_RELR) instead of 24 bytes each, so a
//! process start reads a few kilobytes instead of about 3 MB of relocation records: `check`
//! starts faster and holds less memory. glibc has read DT_RELR since 2.36 and GNU ld has
//! written it since 2.38 (Debian 12 has both); address-space randomisation is kept.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux")
        && std::env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("gnu")
    {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}
