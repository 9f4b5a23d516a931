import subprocess, os, sys
repo, out = sys.argv[1], sys.argv[2]
ls = subprocess.run(["git","-C",repo,"ls-tree","-r","-z","HEAD"],capture_output=True,check=True).stdout.split(b"\0")
entries=[]
for e in ls:
    if not e: continue
    meta, path = e.split(b"\t",1)
    mode, typ, sha = meta.split()
    if typ != b"blob": continue
    entries.append((mode, sha, path))
p = subprocess.Popen(["git","-C",repo,"cat-file","--batch"],stdin=subprocess.PIPE,stdout=subprocess.PIPE)
missing=0
for mode, sha, path in entries:
    p.stdin.write(sha+b"\n"); p.stdin.flush()
    header = p.stdout.readline()
    if header.endswith(b"missing\n"):
        missing+=1; print("missing", path.decode()); continue
    size = int(header.split()[2]); data = p.stdout.read(size); p.stdout.read(1)
    dest = os.path.join(out, path.decode())
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    if mode == b"120000":
        if os.path.lexists(dest): os.remove(dest)
        os.symlink(data.decode(), dest)
    else:
        with open(dest,"wb") as f: f.write(data)
        if mode == b"100755": os.chmod(dest, 0o755)
print("missing", missing, "of", len(entries))
