// TrialFlow image viewer: one viewport per study (baseline beside current), frames fetched uncompressed (multipart/related
// octet-stream; the server decodes RLE and JPEG Lossless) and turned into grey levels here, so scrolling and window/level never
// wait for the server. Lengths are measured in image pixels and converted with Pixel Spacing (row, column) to mm.
// The manifest (src/TrialFlow.Web/Viewer/ViewerManifest.cs) tells everything needed; nothing here parses DICOM.

const presets = [
    { name: "Image default", center: null, width: null },
    { name: "Soft tissue", center: 40, width: 400 },
    { name: "Lung", center: -600, width: 1500 },
    { name: "Bone", center: 400, width: 1800 },
    { name: "Liver", center: 60, width: 160 },
    { name: "Brain", center: 40, width: 80 },
];

export function mount(container, studies, dotnet) {
    container.replaceChildren();
    const viewports = studies.map((study, index) => new Viewport(container, study, index, dotnet));
    return { dispose: () => viewports.forEach(v => v.dispose()) };
}

class Viewport {
    constructor(container, study, index, dotnet) {
        this.study = study;
        this.dotnet = dotnet;
        this.cache = new Map();
        this.measurements = [];
        this.root = element("div", { className: "tf-viewport", id: `viewport-${index}` });
        const bar = element("div", { className: "tf-viewport-bar" });
        bar.append(element("strong", { className: "tf-label", textContent: study.label }));
        this.seriesSelect = element("select", { className: "tf-series", title: "Series" });
        study.series.forEach((s, i) => this.seriesSelect.append(element("option", { value: i, textContent: `${s.modality} ${s.description || s.seriesInstanceUid} (${s.frames.length})` })));
        this.presetSelect = element("select", { className: "tf-preset", title: "Window preset" });
        presets.forEach((p, i) => this.presetSelect.append(element("option", { value: i, textContent: p.name })));
        this.frameText = element("span", { className: "tf-frame" });
        this.windowText = element("span", { className: "tf-window" });
        this.zoomText = element("span", { className: "tf-zoom" });
        this.fitButton = element("button", { className: "tf-fit", type: "button", textContent: "Fit", title: "Show the whole image (0)" });
        bar.append(this.seriesSelect, this.presetSelect, this.frameText, this.windowText, this.zoomText, this.fitButton);
        this.canvas = element("canvas", { className: "tf-canvas" });
        this.overlay = element("canvas", { className: "tf-overlay", tabIndex: 0 }); // on top: it takes pointer and keys
        // Both canvases sit in one layer that zoom and pan transform together; the stage clips it. Pointer positions
        // go through the overlay's transformed box, so measurements stay in image pixels at any zoom.
        this.layer = element("div", { className: "tf-layer" });
        this.layer.append(this.canvas, this.overlay);
        this.stage = element("div", { className: "tf-stage" });
        this.stage.append(this.layer);
        this.view = { zoom: 1, x: 0, y: 0 };
        this.status = element("div", { className: "tf-status" });
        this.lastMeasure = element("div", { className: "tf-last-measure" });
        this.root.append(bar, this.stage, this.status, this.lastMeasure);
        container.append(this.root);

        this.seriesSelect.addEventListener("change", () => this.showSeries(Number(this.seriesSelect.value)));
        this.presetSelect.addEventListener("change", () => this.applyPreset(Number(this.presetSelect.value)));
        this.overlay.addEventListener("wheel", e => {
            e.preventDefault();
            if (e.ctrlKey) this.zoomAt(e.clientX, e.clientY, e.deltaY < 0 ? 1.25 : 0.8);
            else this.step(Math.sign(e.deltaY));
        }, { passive: false });
        this.fitButton.addEventListener("click", () => this.fit());
        this.overlay.addEventListener("contextmenu", e => e.preventDefault());
        this.overlay.addEventListener("pointerdown", e => this.pointerDown(e));
        this.overlay.addEventListener("keydown", e => {
            if (e.key === "ArrowDown" || e.key === "PageDown") this.step(1);
            if (e.key === "ArrowUp" || e.key === "PageUp") this.step(-1);
            const box = this.stage.getBoundingClientRect();
            if (e.key === "+" || e.key === "=") this.zoomAt(box.left + box.width / 2, box.top + box.height / 2, 1.25);
            if (e.key === "-") this.zoomAt(box.left + box.width / 2, box.top + box.height / 2, 0.8);
            if (e.key === "0") this.fit();
        });
        if (study.series.length === 0) {
            this.status.textContent = "This study has no images to show.";
            return;
        }
        this.showSeries(0);
    }

    dispose() { this.root.remove(); }

    get series() { return this.study.series[this.seriesIndex]; }

    showSeries(index) {
        this.seriesIndex = index;
        const s = this.series;
        this.center = s.windowCenter;
        this.width = s.windowWidth;
        this.presetSelect.value = 0;
        for (const c of [this.canvas, this.overlay]) { c.width = s.columns; c.height = s.rows; }
        this.stage.style.aspectRatio = `${s.columns} / ${s.rows}`; // canvases fill the stage: screen and image keep one scale
        this.fit();
        this.status.textContent = s.displayable ? "" : `Frames stored as ${s.transferSyntaxUid} cannot be shown: the viewer takes uncompressed, RLE and JPEG Lossless frames.`;
        this.show(0);
    }

    applyPreset(index) {
        const p = presets[index];
        this.center = p.center ?? this.series.windowCenter;
        this.width = p.width ?? this.series.windowWidth;
        this.render();
    }

    /** Zooms by `factor` keeping the image point under (clientX, clientY) in place; never below the whole image. */
    zoomAt(clientX, clientY, factor) {
        const box = this.stage.getBoundingClientRect();
        const zoom = Math.min(Math.max(this.view.zoom * factor, 1), 16);
        const px = clientX - box.left, py = clientY - box.top;
        const ratio = zoom / this.view.zoom;
        this.setView(zoom, px - (px - this.view.x) * ratio, py - (py - this.view.y) * ratio);
    }

    fit() { this.setView(1, 0, 0); }

    /** Applies zoom and pan, kept so the image always covers the stage (no empty borders to measure into). */
    setView(zoom, x, y) {
        const box = this.stage.getBoundingClientRect();
        x = Math.min(0, Math.max(box.width * (1 - zoom), x));
        y = Math.min(0, Math.max(box.height * (1 - zoom), y));
        this.view = { zoom, x, y };
        this.layer.style.transform = `translate(${x}px, ${y}px) scale(${zoom})`;
        this.zoomText.textContent = `×${zoom.toFixed(2)}`;
        this.root.dataset.zoom = zoom.toFixed(2);
    }

    step(delta) {
        const next = Math.min(Math.max(this.frameIndex + delta, 0), this.series.frames.length - 1);
        if (next !== this.frameIndex) this.show(next);
    }

    async show(frameIndex) {
        this.frameIndex = frameIndex;
        this.frameText.textContent = `${frameIndex + 1} / ${this.series.frames.length}`;
        this.root.dataset.frame = String(frameIndex + 1);
        if (!this.series.displayable) return;
        const frame = this.series.frames[frameIndex];
        try {
            const pixels = await this.load(frame.url);
            if (this.series.frames[this.frameIndex] === frame) { this.pixels = pixels; this.render(); }
        } catch (error) {
            this.status.textContent = `Frame ${frameIndex + 1} could not be loaded: ${error.message}`;
        }
    }

    async load(url) {
        if (!this.cache.has(url)) {
            this.cache.set(url, (async () => {
                const response = await fetch(url, { headers: { Accept: 'multipart/related; type="application/octet-stream"' }, credentials: "same-origin" });
                if (!response.ok) throw new Error(`HTTP ${response.status}`);
                const body = firstPart(await response.arrayBuffer(), response.headers.get("Content-Type") || "");
                return samples(body, this.series);
            })());
        }
        return this.cache.get(url);
    }

    render() {
        const s = this.series;
        this.windowText.textContent = `C ${Math.round(this.center)} W ${Math.round(this.width)}`;
        this.root.dataset.window = `${this.center},${this.width}`;
        if (!this.pixels) return;
        const context = this.canvas.getContext("2d");
        const image = context.createImageData(s.columns, s.rows);
        const out = image.data;
        const rgb = s.samplesPerPixel === 3;
        const plane = s.planar ? s.rows * s.columns : 0;
        const invert = s.photometric === "MONOCHROME1";
        const low = this.center - 0.5 - (this.width - 1) / 2;
        const scale = 255 / Math.max(this.width - 1, 1);
        for (let p = 0, o = 0; o < out.length; o += 4) {
            if (rgb && plane) {
                out[o] = this.pixels[p]; out[o + 1] = this.pixels[p + plane]; out[o + 2] = this.pixels[p + 2 * plane]; p++;
            } else if (rgb) {
                out[o] = this.pixels[p++]; out[o + 1] = this.pixels[p++]; out[o + 2] = this.pixels[p++];
            } else {
                // PS3.3 C.11.2.1.2.1: linear window over the rescaled value.
                const value = this.pixels[p++] * s.rescaleSlope + s.rescaleIntercept;
                let grey = Math.round((value - low) * scale);
                grey = grey < 0 ? 0 : grey > 255 ? 255 : grey;
                out[o] = out[o + 1] = out[o + 2] = invert ? 255 - grey : grey;
            }
            out[o + 3] = 255;
        }
        context.putImageData(image, 0, 0);
        this.drawMeasurements();
        if (!this.root.dataset.drawn) {
            // Time to first image, from navigation start: the viewer benchmark reads this mark.
            this.root.dataset.drawn = "true";
            performance.mark(`tf-first-image-${this.root.id}`);
        }
    }

    pointerDown(e) {
        this.overlay.focus({ preventScroll: true });
        const start = this.imagePoint(e);
        const origin = { x: e.clientX, y: e.clientY, center: this.center, width: this.width, view: this.view };
        const adjusting = e.button === 2 || e.shiftKey;
        const panning = e.button === 1 || e.altKey;
        if (panning) e.preventDefault(); // no autoscroll on middle-drag
        this.overlay.setPointerCapture(e.pointerId);
        const move = m => {
            if (panning) {
                // Middle-drag (or alt-drag) moves the zoomed image.
                this.setView(origin.view.zoom, origin.view.x + m.clientX - origin.x, origin.view.y + m.clientY - origin.y);
            } else if (adjusting) {
                // Right-drag (or shift-drag): horizontal changes the width, vertical the centre, as in most viewers.
                this.width = Math.max(1, origin.width + (m.clientX - origin.x) * 4);
                this.center = origin.center + (m.clientY - origin.y) * 2;
                this.render();
            } else {
                this.drawMeasurements({ from: start, to: this.imagePoint(m) });
            }
        };
        const up = u => {
            this.overlay.removeEventListener("pointermove", move);
            this.overlay.removeEventListener("pointerup", up);
            if (!adjusting && !panning) this.measure(start, this.imagePoint(u));
        };
        this.overlay.addEventListener("pointermove", move);
        this.overlay.addEventListener("pointerup", up);
    }

    imagePoint(e) {
        const box = this.overlay.getBoundingClientRect();
        return { x: (e.clientX - box.left) * this.overlay.width / box.width, y: (e.clientY - box.top) * this.overlay.height / box.height };
    }

    measure(from, to) {
        const pixels = Math.hypot(to.x - from.x, to.y - from.y);
        if (pixels < 2) { this.drawMeasurements(); return; }
        const s = this.series;
        const frame = s.frames[this.frameIndex];
        const spacing = s.pixelSpacing; // [row spacing (between rows, y), column spacing (between columns, x)]
        const mm = spacing ? Math.hypot((to.x - from.x) * spacing[1], (to.y - from.y) * spacing[0]) : null;
        this.measurements.push({ url: frame.url, from, to, mm });
        this.lastMeasure.textContent = mm === null ? `${pixels.toFixed(1)} px (no pixel spacing: not a length)` : `${mm.toFixed(1)} mm`;
        this.drawMeasurements();
        if (mm !== null && this.dotnet)
            this.dotnet.invokeMethodAsync("Measured", { lengthMm: Math.round(mm * 10) / 10, seriesInstanceUid: s.seriesInstanceUid, sopInstanceUid: frame.sopInstanceUid, frame: frame.frame });
    }

    drawMeasurements(pending) {
        const context = this.overlay.getContext("2d");
        context.clearRect(0, 0, this.overlay.width, this.overlay.height);
        const url = this.series.frames[this.frameIndex]?.url;
        const lines = this.measurements.filter(m => m.url === url);
        if (pending) lines.push(pending);
        context.lineWidth = Math.max(1, this.overlay.width / 400);
        context.font = `${Math.max(10, Math.round(this.overlay.width / 32))}px sans-serif`;
        for (const m of lines) {
            context.strokeStyle = context.fillStyle = "#ffd54f";
            context.beginPath(); context.moveTo(m.from.x, m.from.y); context.lineTo(m.to.x, m.to.y); context.stroke();
            if (m.mm != null) context.fillText(`${m.mm.toFixed(1)} mm`, m.to.x + 4, m.to.y - 4);
        }
    }
}

// The first part of a multipart/related body (PS3.18 8.7.3.3); a plain body is taken whole.
function firstPart(buffer, contentType) {
    const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
    if (!boundary) return buffer;
    const bytes = new Uint8Array(buffer);
    const headersEnd = indexOf(bytes, [13, 10, 13, 10], 0);
    if (headersEnd < 0) throw new Error("malformed multipart response");
    const start = headersEnd + 4;
    const end = indexOf(bytes, Array.from(`\r\n--${boundary}`, c => c.charCodeAt(0)), start);
    return buffer.slice(start, end < 0 ? bytes.length : end);
}

function indexOf(bytes, pattern, from) {
    outer: for (let i = from; i <= bytes.length - pattern.length; i++) {
        for (let j = 0; j < pattern.length; j++) if (bytes[i + j] !== pattern[j]) continue outer;
        return i;
    }
    return -1;
}

function samples(buffer, series) {
    if (series.bitsAllocated === 8) return new Uint8Array(buffer);
    return series.signed ? new Int16Array(buffer) : new Uint16Array(buffer);
}

function element(tag, properties) {
    return Object.assign(document.createElement(tag), properties);
}
