/*
 * Small helpers on paper, tag and listing pages:
 * - "Copy BibTeX" on a paper page (the button stays hidden without JavaScript,
 *   where selecting the entry by hand still works);
 * - "Newest first" on a tag or listing page whose papers carry dates (data-date,
 *   the first submission to arXiv): the list can be read in its own order or by
 *   date, and the choice is kept in the address (#newest) so it can be shared.
 */
(function () {
  "use strict"

  for (const button of document.querySelectorAll("button.pc-copy[data-copy]")) {
    const source = document.getElementById(button.dataset.copy)
    const status = button.parentElement.querySelector(".pc-copy-status")
    if (!source) continue
    button.hidden = false
    button.addEventListener("click", async () => {
      const text = source.textContent
      let copied = false
      try {
        await navigator.clipboard.writeText(text)
        copied = true
      } catch (error) {
        /* No clipboard permission (an insecure origin, a browser setting): select the
           entry so Ctrl+C copies it, and say so */
        const range = document.createRange()
        range.selectNodeContents(source)
        const selection = getSelection()
        selection.removeAllRanges()
        selection.addRange(range)
      }
      if (status) status.textContent = copied ? "Copied." : "Selected: press Ctrl+C to copy."
    })
  }

  for (const list of document.querySelectorAll("[data-sortable]")) {
    const items = [...list.children]
    if (items.filter(li => li.dataset.date).length < 2) continue
    const original = items.slice()
    const newest = items.slice().sort((a, b) =>
      (b.dataset.date || "").localeCompare(a.dataset.date || ""))
    const control = document.createElement("p")
    control.className = "pc-sort"
    control.setAttribute("role", "group")
    control.setAttribute("aria-label", "Order of the papers")
    const order = list.tagName === "OL" ? "Listing order" : "A–Z"
    control.innerHTML =
      `Order: <button type="button" class="pc-sort-own" aria-pressed="true"></button> ` +
      `<button type="button" class="pc-sort-newest" aria-pressed="false">Newest first</button>`
    control.querySelector(".pc-sort-own").textContent = order
    list.before(control)
    const show = byDate => {
      for (const li of byDate ? newest : original) list.appendChild(li)
      /* a numbered listing keeps its own numbers whatever the order */
      if (list.tagName === "OL") for (const [i, li] of original.entries()) li.value = i + 1
      control.querySelector(".pc-sort-own").setAttribute("aria-pressed", String(!byDate))
      control.querySelector(".pc-sort-newest").setAttribute("aria-pressed", String(byDate))
      list.dataset.order = byDate ? "newest" : "own"
    }
    control.querySelector(".pc-sort-own").addEventListener("click", () => {
      history.replaceState(null, "", location.pathname + location.search)
      show(false)
    })
    control.querySelector(".pc-sort-newest").addEventListener("click", () => {
      history.replaceState(null, "", "#newest")
      show(true)
    })
    show(location.hash === "#newest")
  }
})()
