// The host page's own script playing attacker: can it see into the PassDesk panel or find the
// password anywhere in its DOM? The end-to-end tests call window.passdeskProbe(secret).
window.passdeskProbe = function passdeskProbe(secret) {
  const frame = document.querySelector('[data-passdesk-panel] iframe') || document.querySelector('iframe');
  const out = { frame: Boolean(frame), contentDocument: 'no frame', contentWindowDocument: 'no frame', foundInDom: false };
  if (frame) {
    try {
      out.contentDocument = frame.contentDocument === null ? 'null' : 'READABLE';
    } catch (e) {
      out.contentDocument = `threw ${e.name}`;
    }
    try {
      out.contentWindowDocument = frame.contentWindow.document ? 'READABLE' : 'null';
    } catch (e) {
      out.contentWindowDocument = `threw ${e.name}`;
    }
  }
  const haystack = [document.documentElement.outerHTML, ...[...document.querySelectorAll('input, textarea')].map((i) => i.value)];
  out.foundInDom = Boolean(secret) && haystack.some((h) => h.includes(secret));
  document.getElementById('probe-result')?.replaceChildren(document.createTextNode(JSON.stringify(out)));
  return out;
};
document.addEventListener('DOMContentLoaded', () => {
  window.passdeskDomReady = performance.now();
});
