// "Copy citation": the clipboard where the browser offers it, a selected text area where not
// (pages served over plain HTTP from another host have no clipboard API).

import { h, announce } from "./dom.js";

async function copy(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Permission refused: fall through to the text area.
    }
  }
  const area = h("textarea", { class: "offscreen", readonly: true });
  area.value = text;
  document.body.append(area);
  area.select();
  const done = document.execCommand("copy");
  area.remove();
  return done;
}

/** A button that copies `text` (a citation) and says so. */
export function copyButton(text, label = "Copy citation") {
  const button = h("button", { type: "button", class: "copy", "data-citation": text }, label);
  button.addEventListener("click", async () => {
    const done = await copy(text);
    button.textContent = done ? "Copied" : "Copy failed";
    announce(done ? "The citation is on the clipboard." : "The citation could not be copied; select it by hand.");
    setTimeout(() => (button.textContent = label), 2000);
  });
  return button;
}
