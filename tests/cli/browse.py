#!/usr/bin/env python3
"""browse.py -- open a page in headless Chromium at a given window width
(through the DevTools protocol on a pipe, so that a phone's 390 px is 390
px: a window has a larger minimum), and print what the page wrote on its
<body> as JSON; with --shot FILE, also a PNG of the whole page.

    browse.py CHROMIUM URL WIDTH [--shot FILE] [--eval EXPRESSION]

--eval runs EXPRESSION in the page after its own script (a click on a
table's heading, say) and adds its value to the JSON as "eval".
"""
import base64, json, os, subprocess, sys, tempfile, time

chromium, url, width = sys.argv[1], sys.argv[2], int(sys.argv[3])
shot = sys.argv[sys.argv.index("--shot") + 1] if "--shot" in sys.argv else None
expression = sys.argv[sys.argv.index("--eval") + 1] if "--eval" in sys.argv else None
to_chrome_r, to_chrome_w = os.pipe()
from_chrome_r, from_chrome_w = os.pipe()
profile = tempfile.mkdtemp()
# fd 3: what chromium reads, fd 4: what it writes
proc = subprocess.Popen(
    [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
     "--disable-background-networking", "--disable-component-update", "--disable-sync",
     "--user-data-dir=" + profile, "--remote-debugging-pipe", "about:blank"],
    pass_fds=(3, 4, to_chrome_r, from_chrome_w), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    preexec_fn=lambda: (os.dup2(to_chrome_r, 3), os.dup2(from_chrome_w, 4)))
os.close(to_chrome_r)
os.close(from_chrome_w)
reader = os.fdopen(from_chrome_r, "rb")
pending = b""
ids = 0


def send(method, params=None, session=None):
    global ids, pending
    ids += 1
    msg = {"id": ids, "method": method, "params": params or {}}
    if session:
        msg["sessionId"] = session
    os.write(to_chrome_w, json.dumps(msg).encode() + b"\0")
    while True:
        while b"\0" not in pending:
            chunk = reader.read1(1 << 20)
            if not chunk:
                sys.exit("browse: chromium closed the pipe")
            pending += chunk
        line, pending = pending.split(b"\0", 1)
        answer = json.loads(line)
        if answer.get("id") == ids:
            if "error" in answer:
                sys.exit("browse: %s: %s" % (method, answer["error"]))
            return answer["result"]


try:
    target = send("Target.createTarget", {"url": "about:blank"})["targetId"]
    s = send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    send("Emulation.setDeviceMetricsOverride",
         {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600}, s)
    send("Page.enable", {}, s)
    send("Page.navigate", {"url": url}, s)
    for _ in range(200):  # the page's script writes data-check when it has run
        r = send("Runtime.evaluate", {"expression": "document.body && document.body.getAttribute('data-check')",
                                      "returnByValue": True}, s)
        if r["result"].get("value"):
            break
        time.sleep(0.1)
    # besides what the page wrote: the window's width, the lines the main
    # heading takes, and the headings of tables wider than their place
    measure = """JSON.stringify(Object.assign({width: innerWidth,
        h1Lines: Math.round(document.querySelector('h1').getBoundingClientRect().height /
                            parseFloat(getComputedStyle(document.querySelector('h1')).lineHeight)),
        wideTables: [].slice.call(document.querySelectorAll('.wide')).filter(function (w) {
            return w.scrollWidth > w.clientWidth + 1; }).map(function (w) {
            var s = w.closest('section'), th = w.querySelector('th');
            return (s ? s.querySelector('h2').textContent : '') + ': ' + (th ? th.textContent : ''); })
    }, document.body.dataset))"""
    r = send("Runtime.evaluate", {"expression": measure, "returnByValue": True}, s)
    seen = json.loads(r["result"]["value"])
    if expression:
        seen["eval"] = send("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                            s)["result"].get("value")
    print(json.dumps(seen, ensure_ascii=False, separators=(",", ":")))
    if shot:
        png = send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, s)
        with open(shot, "wb") as f:
            f.write(base64.b64decode(png["data"]))
finally:
    proc.kill()
    proc.wait()
