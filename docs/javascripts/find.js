/*
 * The "Search and browse" page: a query plus tag and listing filters, answered
 * by the same worker as the header search box, kept in the page's address
 * (?query=...&tag=...&listing=...; not ?q=, which Material takes for its own box) so a search can be bookmarked and shared.
 * Keyboard: type, Tab to the filters; Down/Up move through the results.
 */
(function () {
  "use strict"
  const root = document.getElementById("pc-find")
  if (!root) return
  const query = root.querySelector("#pc-find-q")
  const tag = root.querySelector("#pc-find-tag")
  const listing = root.querySelector("#pc-find-listing")
  const status = root.querySelector(".pc-find-status")
  const results = root.querySelector(".pc-find-results")
  const note = root.querySelector(".pc-find-note")
  const base = new URL(root.dataset.base, location.href)
  const worker = new Worker(new URL(root.dataset.worker, location.href))
  const LIMIT = 100
  let latest = 0
  let timer = 0

  /* Restore the search from the address */
  const params = new URLSearchParams(location.search)
  query.value = params.get("query") || ""
  tag.value = params.get("tag") || ""
  listing.value = params.get("listing") || ""

  /* aria-busy: true from a question to the rendering of its answer, so assistive
     technology (and the tests) can tell current results from stale ones */
  function ask() {
    latest += 1
    results.setAttribute("aria-busy", "true")
    worker.postMessage({
      type: "find", id: latest, query: query.value,
      tag: tag.value, listing: listing.value, limit: LIMIT
    })
    const url = new URL(location.href)
    for (const [key, field] of [["query", query], ["tag", tag], ["listing", listing]]) {
      if (field.value) url.searchParams.set(key, field.value)
      else url.searchParams.delete(key)
    }
    history.replaceState(null, "", url)
  }

  function element(name, attributes, html) {
    const el = document.createElement(name)
    for (const [key, value] of Object.entries(attributes || {})) el.setAttribute(key, value)
    if (html !== undefined) el.innerHTML = html /* worker output: escaped, with <mark> */
    return el
  }

  worker.addEventListener("message", ev => {
    const answer = ev.data
    if (answer.type !== "found" || answer.id !== latest) return
    const filtered = query.value.trim() || tag.value || listing.value
    const papers = n => `${n} ${n === 1 ? "paper" : "papers"}`
    status.textContent = !filtered
      ? `${papers(answer.total)}. Type to search, or pick a tag or a listing.`
      : answer.total === 0 ? "No paper matches."
      : [
          answer.all < answer.total
            ? `${papers(answer.all)} with every word, ${answer.total - answer.all} more with some.`
            : `${answer.total} ${answer.total === 1 ? "paper matches" : "papers match"}.`,
          answer.total > answer.items.length ? `The best ${answer.items.length} are shown.` : ""
        ].join(" ").trim()
    window.paperSearchNotes.show(note, answer.notes, query.value, again => {
      query.value = again
      query.focus()
      ask()
    })
    results.replaceChildren(...answer.items.map(item => {
      const li = element("li", { class: "pc-find-result" })
      const link = element("a", { href: new URL(item.url, base).href }, item.title)
      li.append(element("h2"))
      if (item.byline) li.append(element("p", { class: "pc-byline" }, item.byline))
      li.append(element("p", { class: "pc-find-snippet" }, item.snippet))
      li.firstChild.append(link)
      if (item.tags.length) {
        const tags = element("p", { class: "pc-tags" })
        for (const name of item.tags) {
          /* The tag page's URL as the build wrote it (search/urls.json), never re-spelled */
          const chip = element("a", { class: "pc-tag", href: new URL(answer.vocabulary.tagUrls[name], base).href })
          chip.textContent = name
          tags.append(chip, " ")
        }
        li.append(tags)
      }
      return li
    }))
    results.setAttribute("aria-busy", "false")
  })

  query.addEventListener("input", () => {
    clearTimeout(timer)
    timer = setTimeout(ask, 60)
  })
  tag.addEventListener("change", ask)
  /* Enter in the box must not reload the page: the search answers as one types. (Here,
     not as an onsubmit attribute: the page's Content-Security-Policy runs no inline code.) */
  root.querySelector("form").addEventListener("submit", ev => ev.preventDefault())
  listing.addEventListener("change", ask)

  /* Down from the box or a result moves to the next result, Up to the previous */
  root.addEventListener("keydown", ev => {
    if (ev.key !== "ArrowDown" && ev.key !== "ArrowUp") return
    const links = [...results.querySelectorAll("h2 a")]
    if (!links.length) return
    const at = links.indexOf(document.activeElement)
    if (at === -1 && document.activeElement !== query) return
    ev.preventDefault()
    const next = ev.key === "ArrowDown" ? at + 1 : at - 1
    if (next < 0) query.focus()
    else links[Math.min(next, links.length - 1)].focus()
  })

  ask()
})()
