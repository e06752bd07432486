# Prints, for each path read from stdin, the SHA-256 of every frame of pydicom's pixel_array as int64 samples
# (frame, row, column, sample order). Run by PixelOracleTests with /usr/bin/python3 (pydicom 2.3 + numpy).
import sys, hashlib, json, pydicom, numpy as np
for line in sys.stdin:
    p=line.strip()
    if not p: continue
    try:
        ds=pydicom.dcmread(p)
        a=ds.pixel_array
        n=int(getattr(ds,'NumberOfFrames',1) or 1)
        spp=int(ds.SamplesPerPixel)
        a=a.reshape((n,int(ds.Rows),int(ds.Columns),spp)).astype('<i8')
        r={"path":p,"ok":True,"frames":n,"sha256":[hashlib.sha256(a[i].tobytes()).hexdigest() for i in range(n)]}
    except Exception as e:
        r={"path":p,"ok":False,"error":type(e).__name__+": "+str(e)}
    print(json.dumps(r)); sys.stdout.flush()
