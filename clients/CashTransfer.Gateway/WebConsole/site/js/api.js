// The console's one link to the service: sign-in, the signed-in session, and calls to the REST API with the session
// cookie. Every change carries the session's CSRF token and a fresh Idempotency-Key (the API requires one on every POST).
// The pages run in the browser, so they cannot use the .NET client library (CashTransfer.Api.Client); this module is its
// small JavaScript counterpart, and no page calls fetch itself.

/** An answer the service refused, with its problem details (RFC 9457). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `The service answered ${status}.`);
    this.status = status;
    this.problem = problem;
  }
}

async function problemOf(response) {
  try { return await response.json(); } catch { return null; }
}

/** The answer's body, or an ApiError; a 401 means the session has ended, so the page goes back to sign-in. */
async function answerOf(response) {
  if (response.status === 401) location.replace('/');
  if (!response.ok) throw new ApiError(response.status, await problemOf(response));
  return response.status === 204 ? null : response.json();
}

/**
 * Signs in (there is no session yet, so no CSRF token and no redirect on 401): asks for a one-time challenge, has
 * `sign` sign the text the service names, and starts a session with the signature. Answers the new session.
 */
export async function signIn(publicKeyBase64, sign) {
  const post = async (path, body) => {
    const response = await fetch(path, {
      method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body ?? {}),
    });
    if (!response.ok) throw new ApiError(response.status, await problemOf(response));
    return response.json();
  };
  const { challenge, domain } = await post('/console/challenge');
  return post('/console/session', { challenge, publicKey: publicKeyBase64, signature: await sign(`${domain}\n${challenge}`) });
}

/** The current session, or a redirect to the sign-in page when there is none. */
export async function currentSession() {
  const response = await fetch('/console/session', { credentials: 'same-origin' });
  if (response.status === 401) {
    location.replace('/');
    return new Promise(() => {}); // the page is going away
  }
  if (!response.ok) throw new ApiError(response.status, await problemOf(response));
  return response.json();
}

/** Calls to the API on behalf of one session. */
export class Api {
  constructor(session) {
    this.session = session;
  }

  async get(path) {
    return answerOf(await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } }));
  }

  /** A change: POST with a JSON body (or a raw body with its content type). */
  async post(path, body, contentType = 'application/json') {
    return answerOf(await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: this.changeHeaders(contentType),
      body: body === undefined ? undefined : contentType === 'application/json' ? JSON.stringify(body) : body,
    }));
  }

  /** A change with upload progress (fetch cannot report it): onProgress(sentBytes, totalBytes). */
  upload(path, file, contentType, onProgress) {
    return new Promise((resolve, reject) => {
      const request = new XMLHttpRequest();
      request.open('POST', path);
      for (const [name, value] of Object.entries(this.changeHeaders(contentType))) request.setRequestHeader(name, value);
      request.upload.onprogress = e => onProgress(e.loaded, e.total);
      request.onload = () => {
        let body = null;
        try { body = JSON.parse(request.responseText); } catch { /* not JSON */ }
        if (request.status >= 200 && request.status < 300) resolve(body);
        else reject(new ApiError(request.status, body));
      };
      request.onerror = () => reject(new ApiError(0, { detail: 'The upload did not reach the service.' }));
      request.send(file);
    });
  }

  changeHeaders(contentType) {
    return { 'Content-Type': contentType, 'X-CSRF-Token': this.session.csrfToken, 'Idempotency-Key': crypto.randomUUID() };
  }

  /** Ends the session on the server, then goes back to sign-in; a session that had already ended (401) is signed out too. */
  async signOut() {
    const response = await fetch('/console/sign-out', { method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF-Token': this.session.csrfToken } });
    if (!response.ok && response.status !== 401) throw new ApiError(response.status, await problemOf(response));
    location.replace('/');
  }
}

/** Fills the page header with who is signed in and wires the sign-out button. */
export function showSession(api) {
  const s = api.session;
  document.querySelector('#who').textContent = `${s.keyId} · ${s.role} · ${s.agencyMsp}`;
  document.querySelector('#sign-out').addEventListener('click', () => api.signOut());
}

/** Shows an outcome in a status line: role="status" for success, role="alert" for refusals. */
export function report(element, message, isError = false) {
  element.textContent = message;
  element.classList.toggle('error', isError);
  element.setAttribute('role', isError ? 'alert' : 'status');
}

/** Runs an action for a form or button, reporting its refusal instead of throwing. */
export async function attempt(statusElement, action) {
  try {
    return await action();
  } catch (e) {
    report(statusElement, e instanceof ApiError ? `${e.problem?.title ?? 'Refused'}: ${e.message}` : String(e), true);
    return undefined;
  }
}
