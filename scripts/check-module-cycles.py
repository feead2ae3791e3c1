#!/usr/bin/env python3
"""Fails when source files of a crate import each other in a loop (issue 18).

For every crate `src/` given (default: app, server, domain, fake-shopify, frontend), each
.rs file is a module (`a/b.rs` and `a/b/mod.rs` are `a::b`). A file depends on another
when it names it by path: `super::x`, `self::x`, `crate::x::y`, including inside `use`
groups (`use super::{a, b::c}`). A child module always sees its parent (`mod.rs` declaring
it is not a dependency). Prints each cycle (a strongly connected set of two or more
files) and exits 1 if there is one; test modules (`tests.rs`, `#[cfg(test)]` blocks) are
skipped, since tests may reach anywhere.
"""

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CRATES = sys.argv[1:] or ["app", "server", "domain", "fake-shopify", "frontend"]
IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


def modules(src):
    """Module path (tuple) -> file, for every .rs file under src."""
    out = {}
    for dirpath, _, files in os.walk(src):
        for f in files:
            if not f.endswith(".rs"):
                continue
            rel = os.path.relpath(os.path.join(dirpath, f), src)[:-3].split(os.sep)
            if rel[-1] in ("mod", "lib", "main"):
                rel = rel[:-1]
            if rel and rel[-1] == "tests":
                continue
            out[tuple(rel)] = os.path.join(dirpath, f)
    return out


def strip_tests(text):
    """Drops `#[cfg(test)] mod x { ... }` blocks and comments."""
    text = re.sub(r"//[^\n]*", "", text)
    while True:
        m = re.search(r"#\[cfg\(test\)\]\s*(pub\s+)?mod\s+\w+\s*\{", text)
        if not m:
            return text
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        text = text[: m.start()] + text[i:]


def expand(prefix, rest):
    """Paths named by `prefix::rest`, where rest may start with a `{...}` group."""
    rest = rest.strip()
    if rest.startswith("{"):
        depth, i = 0, 0
        for i, c in enumerate(rest):
            depth += {"{": 1, "}": -1}.get(c, 0)
            if depth == 0:
                break
        inner, parts, depth, cur = rest[1:i], [], 0, ""
        for c in inner:
            if c == "," and depth == 0:
                parts.append(cur)
                cur = ""
                continue
            depth += {"{": 1, "}": -1}.get(c, 0)
            cur += c
        parts.append(cur)
        out = []
        for p in parts:
            p = p.strip()
            if not p or p == "self":
                out.append(prefix)
                continue
            m = re.match(rf"({IDENT}(?:::{IDENT})*)(?:::(\{{.*)|.*)", p, re.S)
            if m:
                path = prefix + tuple(m.group(1).split("::"))
                out.extend(expand(path, m.group(2)) if m.group(2) else [path])
        return out
    m = re.match(rf"{IDENT}(?:::{IDENT})*", rest)
    return [prefix + tuple(m.group(0).split("::"))] if m else [prefix]


def deps(mod, text, known):
    here = mod if mod else ()
    found = set()
    for m in re.finditer(rf"\b(crate|super(?:::super)*|self)::(\{{[^;]*?\}}|{IDENT}(?:::{IDENT})*)", text, re.S):
        head, rest = m.group(1), m.group(2)
        if head == "crate":
            base = ()
        elif head == "self":
            base = here
        else:
            ups = head.count("super")
            base = here[: len(here) - ups] if len(here) >= ups else ()
        for path in expand(base, rest):
            # The deepest known module on the path is the file depended upon.
            for n in range(len(path), 0, -1):
                if path[:n] in known:
                    target = path[:n]
                    # A module's own parents are where it is declared, not dependencies.
                    if target != mod and mod[: len(target)] != target:
                        found.add(target)
                    break
    return found


def cycles(graph):
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(comp)

    sys.setrecursionlimit(10000)
    for v in graph:
        if v not in index:
            visit(v)
    return out


failed = False
for crate in CRATES:
    src = os.path.join(ROOT, crate, "src")
    if not os.path.isdir(src):
        continue
    known = modules(src)
    graph = {}
    for mod, path in known.items():
        with open(path, encoding="utf-8") as f:
            graph[mod] = deps(mod, strip_tests(f.read()), known)
    found = cycles(graph)
    for comp in found:
        failed = True
        names = sorted("::".join(c) or "(root)" for c in comp)
        print(f"{crate}: {len(comp)} modules import each other in a loop: {', '.join(names)}")
        for c in sorted(comp):
            inside = sorted("::".join(d) for d in graph[c] if d in comp)
            print(f"    {'::'.join(c) or '(root)'} -> {', '.join(inside)}")
    edges = sum(len(v) for v in graph.values())
    print(f"{crate}: {len(known)} modules, {edges} imports between them, {len(found)} cycle(s)")
sys.exit(1 if failed else 0)
