// Client for the PassDesk backend API (docs/api.md). Runs in the background worker, which holds the
// token; pages get results, never the token. Errors become {code, message, ...extra} objects.

export class BackendError extends Error {
  constructor(code, message, extra = {}) {
    super(message);
    this.code = code;
    Object.assign(this, extra);
  }
  toJSON() {
    const rest = { ...this };
    delete rest.stack;
    return { ...rest, code: this.code, message: this.message };
  }
}

export function normalizeBaseUrl(raw) {
  let url;
  try {
    url = new URL(String(raw).trim());
  } catch {
    throw new BackendError('BAD_SETTINGS', 'The backend URL is not a valid address.');
  }
  // Cleartext only to this machine: the token and passwords must never cross a network unencrypted.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new BackendError('BAD_SETTINGS', 'The backend URL must start with https:// (http:// only for a backend on this machine: 127.0.0.1, [::1], localhost).');
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new BackendError('BAD_SETTINGS', 'The backend URL must not carry a user name, password, query or fragment.');
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}

/** 127.0.0.0/8, ::1 and localhost (WHATWG URL has already normalised IPv4 forms like 0x7f.1). */
export function isLoopbackHost(hostname) {
  const h = hostname.toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

export class BackendClient {
  constructor({ backendUrl, token }) {
    if (!backendUrl || !token) {
      throw new BackendError('NOT_CONFIGURED', 'PassDesk is not set up yet: enter the backend URL and your token in the options.');
    }
    this.base = normalizeBaseUrl(backendUrl);
    this.token = token;
  }

  async request(method, path, body) {
    let res;
    try {
      res = await fetch(this.base + path, {
        method,
        headers: {
          Authorization: `Bearer ${this.token}`,
          Accept: 'application/json',
          ...(body ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
        credentials: 'omit',
        cache: 'no-store',
        // Never follow a redirect: a 307/308 would re-send the password (and the token) elsewhere.
        redirect: 'manual',
      });
    } catch {
      throw new BackendError('BACKEND_UNREACHABLE', `Cannot reach the PassDesk backend at ${this.base}.`);
    }
    // Browsers hand back an opaque redirect (status 0); Node's fetch the 3xx itself.
    if (res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400)) {
      throw new BackendError('BACKEND_REDIRECTED', `The PassDesk backend at ${this.base} answered with a redirect; PassDesk never follows one. Check the backend URL.`);
    }
    let data = null;
    try {
      data = await res.json();
    } catch {
      /* not JSON: handled below */
    }
    if (res.ok && data) return data;
    const err = data?.error;
    if (err?.code) {
      const { code, message, ...extra } = err;
      throw new BackendError(code, message ?? code, { status: res.status, ...extra });
    }
    throw new BackendError('BAD_RESPONSE', `The backend answered HTTP ${res.status}.`, { status: res.status });
  }

  me() {
    return this.request('GET', '/api/v1/me');
  }

  context(ticket, kind) {
    return this.request('GET', `/api/v1/tickets/${ticketId(ticket)}/context?kind=${ticketKind(kind)}`);
  }

  // account_id: the account the panel showed; the backend refuses (409 TARGET_CHANGED) if the
  // ticket now resolves to another one.
  // verification_id: the caller verification to count (docs/api.md "Caller verification"); sent only when given.
  async reset(ticket, kind, { password, temporary, idempotency_key, account_id, verification_id }) {
    return this.request('POST', `/api/v1/tickets/${ticketId(ticket)}/reset?kind=${ticketKind(kind)}`, {
      password,
      temporary: Boolean(temporary),
      idempotency_key,
      account_id,
      ...withVerification(verification_id),
    });
  }

  async unlock(ticket, kind, { verification_id } = {}) {
    return this.request('POST', `/api/v1/tickets/${ticketId(ticket)}/unlock?kind=${ticketKind(kind)}`, withVerification(verification_id));
  }

  /** Sends a code (sms / email) or a Duo push: -> {id, status: "sent" | "pending", ...}. */
  async startVerification(ticket, kind, { method, account_id }) {
    return this.request('POST', `/api/v1/tickets/${ticketId(ticket)}/verifications?kind=${ticketKind(kind)}`, { method, account_id });
  }

  /** The code the caller read back; in the body only, never in a URL. (async: a bad id rejects like an HTTP error.) */
  async submitCode(id, code) {
    return this.request('POST', `/api/v1/verifications/${verificationId(id)}/code`, { code });
  }

  /** Where a verification stands (a pending Duo push is asked about here). */
  async verification(id) {
    return this.request('GET', `/api/v1/verifications/${verificationId(id)}`);
  }
}

function withVerification(id) {
  return id ? { verification_id: verificationId(id) } : {};
}

// Ids go into a path: nothing but the backend's own alphabet.
function verificationId(raw) {
  const s = String(raw ?? '');
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(s)) throw new BackendError('BAD_REQUEST', 'This is not a verification id.');
  return s;
}

function ticketId(raw) {
  const s = String(raw);
  if (!/^\d{1,12}$/.test(s)) throw new BackendError('BAD_TICKET', 'This is not a ticket number.');
  return s;
}

function ticketKind(raw) {
  return raw === 'project' ? 'project' : 'service';
}
