// Resumable chunked upload of the files a site user picked, over TrialFlow's upload API (the same one the CLI uses).
// Each file goes in 1 MiB chunks with Content-Range; after a dropped connection the client asks the server how many
// bytes arrived and continues from there. Identified data never touches the browser's storage.
// What the page shows of a failure is the server's ProblemDetails detail, never a JavaScript error or stack.
const chunkSize = 1 << 20;
const attempts = 4;
const pollMilliseconds = 1000;

// The server's answer to a request that did not succeed: its status and the detail of its ProblemDetails.
class Refusal extends Error {
    constructor(status, detail) {
        super(detail);
        this.status = status;
    }
}

async function call(method, url, body, headers) {
    const response = await fetch(url, { method, body, headers, credentials: "same-origin" });
    if (!response.ok) {
        let detail = response.statusText || `the server answered ${response.status}`;
        try { detail = (await response.json()).detail ?? detail; } catch { /* not JSON */ }
        throw new Refusal(response.status, detail);
    }
    return { status: response.status, body: response.status === 204 ? null : await response.json() };
}

const request = async (method, url, body, headers) => (await call(method, url, body, headers)).body;

const delay = milliseconds => new Promise(resolve => setTimeout(resolve, milliseconds));

// What to tell a person about a failure: the server's reason, or that the connection failed (fetch's own message).
function reason(error) {
    if (error instanceof Refusal) return error.message;
    const message = String(error?.message ?? error).split("\n")[0];
    return `the connection failed (${message})`;
}

// How the summary names a file the server did not accept.
function outcomeOf(error) {
    if (error.status === 422) return "Refused";
    if (error.status === 413) return "TooLarge";
    return "NotSent";
}

// Sends one file and completes it; returns null, or the error that stopped it after the retries worth making.
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
            // A refusal (4xx) says something about the file, which sending it again does not change.
            if (attempt === attempts || (error.status && error.status < 500 && error.status !== 408)) return error;
            await delay(attempt * 500);
        }
    }
}

// Intake settles files in the background: submit answers 202 until it has, and the session says how many are left.
async function submitWhenSettled(session, onProcessing) {
    for (;;) {
        const submitted = await call("POST", `/api/uploads/${session}/submit`);
        if (submitted.status !== 202) return submitted.body;
        let summary = submitted.body;
        while (summary.processing > 0) {
            await onProcessing(summary.filesReceived - summary.processing, summary.filesReceived);
            await delay(pollMilliseconds);
            summary = await request("GET", `/api/uploads/${session}`);
        }
    }
}

async function uploadFiles(files, request_, dotnet) {
    const total = files.reduce((sum, f) => sum + f.size, 0);
    let sent = 0;
    let done = 0;
    const session = (await request("POST", "/api/uploads", JSON.stringify({ ...request_, channel: "BrowserUpload" }),
        { "Content-Type": "application/json" })).id;
    const names = {};
    const notAccepted = [];
    for (let i = 0; i < files.length; i++) {
        // The file's position is its id: a file name may identify a patient and never leaves the browser.
        const fileId = `f${String(i + 1).padStart(6, "0")}`;
        names[fileId] = files[i].webkitRelativePath || files[i].name;
        const error = await sendFile(session, fileId, files[i], bytes => {
            sent += bytes;
            dotnet.invokeMethodAsync("Progress", done, files.length, sent, total);
        });
        if (error) notAccepted.push({ fileId, name: names[fileId], outcome: outcomeOf(error), reason: reason(error) });
        done++;
        await dotnet.invokeMethodAsync("Progress", done, files.length, sent, total);
    }
    const summary = await submitWhenSettled(session, (settled, received) => dotnet.invokeMethodAsync("Processing", settled, received));
    const listed = new Set(summary.files.map(f => f.fileId));
    const unlisted = notAccepted.filter(n => !listed.has(n.fileId));
    return {
        received: summary.filesReceived, archived: summary.archived, duplicates: summary.duplicates, held: summary.held,
        notAccepted: unlisted.length,
        files: summary.files.map(f => ({ name: names[f.fileId] ?? f.fileId, outcome: f.outcome, reason: f.reason ?? "" })).concat(
            unlisted.map(n => ({ name: n.name, outcome: n.outcome, reason: n.reason }))),
    };
}

// Never throws: whatever stops the upload comes back as { error } with a sentence the page can show as it is.
export async function upload(inputIds, request_, dotnet) {
    const files = inputIds.flatMap(id => Array.from(document.getElementById(id)?.files ?? []));
    if (files.length === 0) return { error: "Choose files or a folder first." };
    try {
        return await uploadFiles(files, request_, dotnet);
    } catch (error) {
        return { error: `The upload stopped: ${reason(error)}` };
    }
}
