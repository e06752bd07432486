# Prints pydicom's Dataset.to_json_dict() for each path read from stdin, one JSON object per line.
# Run by PydicomOracle with Debian's /usr/bin/python3 (python3-pydicom 2.3).
import sys, json, warnings, traceback
import pydicom
from pydicom.errors import InvalidDicomError
def one(path):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        forced = False
        try:
            ds = pydicom.dcmread(path)
        except InvalidDicomError:
            forced = True
            ds = pydicom.dcmread(path, force=True)
        d = ds.to_json_dict()
        meta = ds.file_meta.to_json_dict() if getattr(ds, "file_meta", None) is not None else {}
        return {"path": path, "ok": True, "forced": forced, "json": d, "meta": meta, "warnings": [str(x.message) for x in w]}
for line in sys.stdin:
    p = line.strip()
    if not p: continue
    try:
        r = one(p)
    except Exception as e:
        r = {"path": p, "ok": False, "error": type(e).__name__ + ": " + str(e)}
        try:  # what pydicom can still say: the dataset without the elements it cannot convert
            ds = pydicom.dcmread(p, force=True)
            r["partial"] = ds.to_json_dict(suppress_invalid_tags=True)
            r["dropped"] = ["%08X" % k for k in ds.keys() if "%08X" % k not in r["partial"]]
        except Exception:
            pass
    sys.stdout.write(json.dumps(r) + "\n"); sys.stdout.flush()
