import { escapeHtml } from './mrkdwn.ts';

/**
 * The simulated Azure AD sign-in page ("Enter code"): the DM's "Open login page" button leads
 * here. Approve or Decline decides the device code at the fake Azure AD, as the person would.
 */
export function signinPage(message = ''): string {
  const note = message === '' ? '' : `<p class="aad-note" role="status">${escapeHtml(message)}</p>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in to your account (simulated)</title>
<link rel="stylesheet" href="/assets/signin.css"></head><body><main class="aad-card">
<div class="aad-logo" aria-hidden="true"><span></span><span></span><span></span><span></span></div>
<p class="aad-sim">Simulated Azure AD · pc-verify chat console</p>
<h1>Enter code</h1><p>Enter the code displayed in your pc-verify DM to allow access.</p>
<form method="post" action="/devicelogin">
<label for="code">Code</label><input id="code" name="code" autocomplete="off" required>
<div class="aad-buttons"><button type="submit" name="decision" value="decline" class="aad-secondary">Decline</button>
<button type="submit" name="decision" value="approve" class="aad-primary">Approve</button></div></form>${note}</main></body></html>`;
}
