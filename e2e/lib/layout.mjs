// Whether anything in the pane is cut off or scrolls sideways: each element's box against the
// viewport and against its container, and each element that hides overflow against its content.

/** Runs in the page: the problems found, as sentences (empty when the layout holds). */
function findClipped() {
  // Rotated decorations (the card's chevron) poke out of their box by a pixel or two without
  // being cut.
  const SLACK = 2;
  const describe = (el) => {
    const classes =
      typeof el.className === "string" && el.className.trim() ? `.${el.className.trim().split(/\s+/).join(".")}` : "";
    return `${el.tagName.toLowerCase()}${classes} "${(el.textContent || "").trim().slice(0, 40)}"`;
  };
  const outside = (r, c) => r.left < c.left - SLACK || r.right > c.right + SLACK;
  const problems = [];
  const root = document.documentElement;
  const viewport = { left: 0, right: root.clientWidth };
  if (root.scrollWidth > root.clientWidth) {
    problems.push(`the page scrolls sideways: ${root.scrollWidth} px of content in ${root.clientWidth} px`);
  }
  for (const el of document.body.querySelectorAll("*")) {
    if (el.closest(".dp-visually-hidden, [hidden], noscript, script")) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (outside(r, viewport)) {
      problems.push(`${describe(el)} [${Math.round(r.left)}, ${Math.round(r.right)}] leaves the viewport`);
    }
    const parent = el.parentElement;
    if (parent && parent !== document.body && outside(r, parent.getBoundingClientRect())) {
      problems.push(`${describe(el)} leaves its container ${describe(parent)}`);
    }
    if (getComputedStyle(el).overflowX !== "visible" && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`${describe(el)} cuts or scrolls its content (${el.scrollWidth} > ${el.clientWidth})`);
    }
  }
  return problems;
}

/** The clipped elements of `frame` (a Page or Frame), as sentences. */
export async function clippedElements(frame) {
  return frame.evaluate(findClipped);
}
