#!/usr/bin/env python3
"""Lists the methods and constructors of every module's main sources longer than N lines (default 60), longest first.

Usage: scripts/long-methods.py [ROOT] [N]. A line count runs from the declaration to its closing brace, comments and
blank lines included; a lambda or anonymous class counts toward the method it stands in. Brace counting skips strings,
characters, comments and text blocks; record, class, interface and enum headers are not methods.
"""
import re, sys, pathlib
N = int(sys.argv[2]) if len(sys.argv) > 2 else 60
root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else '.')
decl = re.compile(r'^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|protected|private|static|final|synchronized|abstract|default|native)\s+)*(?:<[^>]+>\s+)?(?:[\w.<>\[\]?, ]+\s+)?(\w+)\s*\(')
KW = {'if','for','while','switch','catch','return','new','else','try','synchronized','do','throw','case'}
def strip(line, state):
    # removes strings, chars, comments; state tracks block comments / text blocks
    out = []; i = 0
    while i < len(line):
        if state['block']:
            j = line.find('*/', i)
            if j < 0: return ''.join(out)
            state['block'] = False; i = j + 2; continue
        if state['text']:
            j = line.find('"""', i)
            if j < 0: return ''.join(out)
            state['text'] = False; i = j + 3; continue
        c = line[i]
        if line.startswith('//', i): break
        if line.startswith('/*', i): state['block'] = True; i += 2; continue
        if line.startswith('"""', i): state['text'] = True; i += 3; continue
        if c == '"' or c == "'":
            q = c; i += 1
            while i < len(line) and line[i] != q:
                i += 2 if line[i] == '\\' else 1
            i += 1; continue
        out.append(c); i += 1
    return ''.join(out)
rows = []
for f in sorted(root.glob('*/src/main/java/**/*.java')):
    lines = f.read_text(encoding='utf-8').splitlines()
    state = {'block': False, 'text': False}
    clean = [strip(l, state) for l in lines]
    depth = 0; stack = []  # (name, start, depth_at_open)
    pending = None
    for n, l in enumerate(clean):
        m = decl.match(l)
        if m and not re.search(r'\b(record|class|interface|enum)\s', l) and m.group(1) not in KW and not l.strip().startswith(('return', 'new ', 'throw')) and '=' not in l.split('(')[0] and '.' not in l.split('(')[0].split()[-1]:
            pending = (m.group(1), n)
        for c in l:
            if c == '{':
                if pending is not None:
                    stack.append((pending[0], pending[1], depth)); pending = None
                depth += 1
            elif c == '}':
                depth -= 1
                if stack and stack[-1][2] == depth:
                    name, start, _ = stack.pop()
                    length = n - start + 1
                    if length > N:
                        cls = f.stem
                        rows.append((length, f"{f.parts[len(root.parts)]}", f"{cls}.{name}", f"{f.relative_to(root)}:{start+1}"))
            elif c == ';':
                pending = None
for r in sorted(rows, reverse=True):
    print(f"{r[0]:4d}  {r[1]:18s} {r[2]:45s} {r[3]}")
