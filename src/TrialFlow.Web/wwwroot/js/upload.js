// Resumable chunked upload of the files a site user picked, over TrialFlow's upload API (the same one the CLI uses).
// Each file goes in 1 MiB chunks with Content-Range; after a dropped connection the client asks the server how many
// bytes arrived and continues from there. Identified data never touches the browser's storage.
const chunkSize = 1 << 20;
const attempts = 4;

async function request(method, url, body, headers) {
    const response = await fetch(url, { method, body, headers, credentials: "same-origin" });
    if (!response.ok) {
        let detail = response.statusText;
        try { detail = (await response.json()).detail ?? detail; } catch { /* not JSON */ }
        const error = new Error(`${response.status} ${detail}`);
        error.status = response.status;
        throw error;
    }
    return response.status === 204 ? null : response.json();
}

async function sendFile(session, fileId, file, onBytes) {
    for (let attempt = 1; ; attempt++) {
        try {
            let offset = (await request("GET", `/api/uploads/${session}/files/${fileId}`)).received;
            while (offset < file.size) {
                const end = Math.min(offset + chunkSize, file.size);
                const progress = await request("PUT", `/api/uploads/${session}/files/${fileId}`, file.slice(offset, end),
                    { "Content-Range": `bytes ${offset}-${end - 1}/${file.size}` });
                onBytes(progress.received - offset);
                offset = progress.received;
            }
            await request("POST", `/api/uploads/${session}/files/${fileId}/complete`, JSON.stringify({ size: file.size }),
                { "Content-Type": "application/json" });
            return null;
        } catch (error) {
            if (attempt === attempts || (error.status && error.status < 500 && error.status !== 408)) return error.message;
            await new Promise(resolve => setTimeout(resolve, attempt * 500));
        }
    }
}

export async function upload(inputIds, request_, dotnet) {
    const files = inputIds.flatMap(id => Array.from(document.getElementById(id)?.files ?? []));
    if (files.length === 0) return { error: "Choose files or a folder first." };
    const total = files.reduce((sum, f) => sum + f.size, 0);
    let sent = 0;
    let done = 0;
    const session = (await request("POST", "/api/uploads", JSON.stringify({ ...request_, channel: "BrowserUpload" }),
        { "Content-Type": "application/json" })).id;
    const names = {};
    const notSent = [];
    for (let i = 0; i < files.length; i++) {
        // The file's position is its id: a file name may identify a patient and never leaves the browser.
        const fileId = `f${String(i + 1).padStart(6, "0")}`;
        names[fileId] = files[i].webkitRelativePath || files[i].name;
        const error = await sendFile(session, fileId, files[i], bytes => {
            sent += bytes;
            dotnet.invokeMethodAsync("Progress", done, files.length, sent, total);
        });
        if (error) notSent.push({ name: names[fileId], reason: error });
        done++;
        await dotnet.invokeMethodAsync("Progress", done, files.length, sent, total);
    }
    const summary = await request("POST", `/api/uploads/${session}/submit`);
    return {
        received: summary.filesReceived, archived: summary.archived, duplicates: summary.duplicates, held: summary.held,
        files: summary.files.map(f => ({ name: names[f.fileId] ?? f.fileId, outcome: f.outcome, reason: f.reason ?? "" })).concat(
            notSent.map(n => ({ name: n.name, outcome: "NotSent", reason: n.reason }))),
    };
}
