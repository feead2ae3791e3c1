// Shared by the integration and end-to-end tests: where the Worker runs, and small waits.
export const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:8799';

export async function get(path, init) {
  const res = await fetch(BASE + path, { redirect: 'manual', ...init });
  return { res, text: await res.text() };
}

/** Calls a server function the way a browser form does (url-encoded), asking for JSON back. */
export async function serverFn(name, fields = {}) {
  const res = await fetch(`${BASE}/api/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(fields).toString(),
  });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, json, text };
}

export async function until(what, fn, { timeoutMs = 15000, everyMs = 200 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export const DEFAULT_SETTINGS = {
  low_stock_days: '14',
  overstock_days: '180',
  dead_stock_days: '90',
  lead_time_days: '7',
  service_level_pct: '95',
  digest_frequency: 'daily',
};
