#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (fuzz/corpus/, not committed).

source_tree: every lint fixture and every chapter of the shipped guideline (with the
manifest, registry, glossary and part file it needs), in the target's input format:
files one after another, each as `\\0FILE <relative path>\\n<bytes>`. A few seeds also
carry an OSCAL catalog excerpt as `import.json`, so the import runs on mutated catalogs.

oscal_import: excerpts of the NIST SP 800-53 catalogs in ../shared/corpora/oscal (read
there, never copied into the repository): one group at a time, cut to a few controls.
"""
import json
import pathlib
import sys

root = pathlib.Path(__file__).resolve().parent.parent
corpus = root / "fuzz" / "corpus"
MARK = b"\0FILE "


def record(rel, data):
    return MARK + rel.encode() + b"\n" + data


def write(target, name, data):
    d = corpus / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)


count = {"source_tree": 0, "oscal_import": 0}

fixtures = root / "tests" / "fixtures"
shared_registry = (fixtures / "registry.toml").read_bytes()
for fixture in sorted(p for p in fixtures.iterdir() if p.is_dir()):
    data = b"".join(
        record(str(f.relative_to(fixture)), f.read_bytes())
        for f in sorted(fixture.rglob("*"))
        if f.is_file()
    )
    data += record("../registry.toml", shared_registry)
    write("source_tree", f"fixture-{fixture.name}", data)
    count["source_tree"] += 1

g = root / "guideline"
common = b"".join(
    record(n, (g / n).read_bytes()) for n in ["guideline.toml", "technologies.toml", "glossary.toml"]
)
for part in sorted((g / "parts").iterdir()):
    part_toml = record(f"parts/{part.name}/part.toml", (part / "part.toml").read_bytes())
    for ja in sorted(part.glob("*.ja.md")):
        en = ja.with_name(ja.name.replace(".ja.md", ".en.md"))
        data = common + part_toml
        for f in (ja, en):
            if f.exists():
                data += record(f"parts/{part.name}/{f.name}", f.read_bytes())
        write("source_tree", f"shipped-{part.name}-{ja.stem}", data)
        count["source_tree"] += 1

oscal = root.parent / "shared" / "corpora" / "oscal"
catalogs = sorted(oscal.glob("*.json")) if oscal.is_dir() else []
if not catalogs:
    print(f"note: {oscal} not found; oscal_import gets no seeds", file=sys.stderr)
for path in catalogs:
    doc = json.loads(path.read_text())
    for i, group in enumerate(doc["catalog"].get("groups", [])):
        cut = json.loads(json.dumps(doc))
        cut["catalog"]["groups"] = [dict(group, controls=group.get("controls", [])[:3])]
        cut["catalog"].pop("back-matter", None)
        data = json.dumps(cut, ensure_ascii=False, indent=1).encode()
        write("oscal_import", f"{path.stem[:40]}-{i:02}", data)
        count["oscal_import"] += 1
        if i < 3:
            write("source_tree", f"fixture-clean-import-{path.stem[:30]}-{i}",
                  (corpus / "source_tree" / "fixture-clean").read_bytes() + record("import.json", data))
            count["source_tree"] += 1

print(f"seeds: {count['source_tree']} source trees, {count['oscal_import']} OSCAL catalogs in {corpus}")
