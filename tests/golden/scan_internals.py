#!/usr/bin/python3
"""No official text speaks the engine's internal language (issue 8): scans the text of every
rendered document (ppko render --text) of every sample for the Latin identifiers of the
methodology (workflow, stage, transition, outcome, fact and category ids, table ids), the sample's
school and organisation codes, file names, command lines and «→». Prints one line per finding.
Usage: scan_internals.py SOURCE_DIR RENDERED_DIR  (RENDERED_DIR/<sample>/a/**/*.txt)"""
import glob, json, os, re, sys

src, rendered = sys.argv[1], sys.argv[2]

ids = set()
for path in glob.glob(os.path.join(src, "workflows", "*.json")):
    d = json.load(open(path, encoding="utf-8"))
    ids.add(d["id"])
    for key in ("stages", "transitions", "year_end", "facts", "inputs", "rules"):
        for item in d.get(key, []):
            ids.add(item["id"])
    for out in d.get("outputs", []):
        for v in out.get("values", []):
            ids.add(v["id"] if isinstance(v, dict) else v)
    for f in d.get("facts", []):
        for field in f.get("fields", []):
            ids.add(field["id"])
            ids.update(v["id"] for v in field.get("values", []))
ids -= {"", "continue", "completed", "strong", "next"}  # checked below as whole words only, with the common English ones
words = sorted(ids | {"low_results", "adverse_conditions", "strong", "completed"})

findings = []
for sample in sorted(os.listdir(os.path.join(src, "samples"))):
    codes = set()
    for stem, key in (("schools", "schools"), ("organisations", "organisations")):
        p = os.path.join(src, "samples", sample, stem + ".json")
        if os.path.exists(p):
            codes.update(x["id"] for x in json.load(open(p, encoding="utf-8"))[key])
    patterns = [(re.compile(r"(?<![\w-])" + re.escape(w) + r"(?![\w-])"), "идентификатор методики «%s»" % w) for w in words]
    patterns += [(re.compile(r"(?<![\w-])" + re.escape(c) + r"(?![\w-])"), "код «%s»" % c) for c in codes]
    patterns += [(re.compile(r"\b[\w.-]+\.(json|tpl|sqlite|docx|xlsx)\b"), "имя файла"),
                 (re.compile(r"\bppko\s+\w+|--\w"), "команда"),
                 (re.compile("→"), "стрелка «→»")]
    for txt in glob.glob(os.path.join(rendered, sample, "a", "**", "*.txt"), recursive=True):
        rel = os.path.relpath(txt, os.path.join(rendered, sample, "a"))
        for n, line in enumerate(open(txt, encoding="utf-8"), 1):
            for rx, what in patterns:
                m = rx.search(line)
                if m:
                    findings.append("%s/%s:%d: %s: …%s…" % (sample, rel, n, what, line[max(0, m.start() - 30):m.end() + 30].strip()))
print("\n".join(findings))
