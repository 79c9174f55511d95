/*
 * What the paper search tells a reader besides its results: the word it searched
 * instead of a misspelt one ("Showing results for diffusion", the word as typed one
 * click away), a word that may be misspelt ("Did you mean …?"), words too common to
 * search for alone (still counted), and how many papers have every word of the query.
 *
 * The search worker (paper-search-worker.js) sends these beside each answer. The
 * Search page (find.js) shows them with its own status line; for Material's header
 * box, which shows only results, this script listens to the worker Material starts
 * (it is loaded in the page head, before Material's bundle creates the worker) and
 * puts them under Material's result count, which it words as the Search page words its
 * status ("2 papers with every word, 5 more with some."): Material would count the
 * result groups, site pages among them, and never more than the list holds.
 */
(function () {
  "use strict"

  const wordIn = (query, word) =>
    new RegExp(`(^|[^\\p{L}\\p{N}"])(${word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")})(?=$|[^\\p{L}\\p{N}"])`, "iu")

  /* The query with one word replaced (matched as the reader typed it, in any case);
     the folded word the worker names may not be in it as typed: then the whole query */
  function replaceWord(query, from, to) {
    const pattern = wordIn(query, from)
    return pattern.test(query) ? query.replace(pattern, (_, before) => before + to) : to
  }

  function button(label, onClick) {
    const el = document.createElement("button")
    el.type = "button"
    el.className = "pc-search-note__retry"
    el.textContent = label
    el.addEventListener("click", onClick)
    return el
  }

  function strong(text) {
    const el = document.createElement("strong")
    el.textContent = text
    return el
  }

  /* Fill `box` with the notes of one answer; `retry(query)` searches again */
  function show(box, notes, query, retry) {
    const lines = []
    if (notes) {
      for (const { from, to } of notes.corrected) {
        const p = document.createElement("p")
        p.append("Showing results for ", strong(to), ". ",
          button(`Search instead for "${from}"`, () => retry(replaceWord(query, from, `"${from}"`))))
        lines.push(p)
      }
      for (const { from, to } of notes.suggested) {
        const p = document.createElement("p")
        p.append("Did you mean ", button(to, () => retry(replaceWord(query, from, to))), "?")
        lines.push(p)
      }
      if (notes.dropped.length) {
        const p = document.createElement("p")
        p.textContent = `Too common to find papers by, but counted: ${notes.dropped.join(", ")}.`
        lines.push(p)
      }
    }
    box.replaceChildren(...lines)
    box.hidden = lines.length === 0
  }

  /* How many papers an answer found, as the Search page's status says it (find.js) */
  function count(notes) {
    const papers = n => `${n} ${n === 1 ? "paper" : "papers"}`
    if (!notes.total) return "No paper matches."
    return notes.all < notes.total
      ? `${papers(notes.all)} with every word, ${notes.total - notes.all} more with some.`
      : `${notes.total} ${notes.total === 1 ? "paper matches" : "papers match"}.`
  }

  window.paperSearchNotes = { show, replaceWord, count }

  /* The header's count line for the answer shown: the papers as count() says, the
     best shown when the list is cut, and the site pages found besides */
  function headerCount(notes) {
    const parts = [count(notes)]
    if (notes.shown < notes.total) parts.push(`The best ${notes.shown} are shown.`)
    if (notes.pages) parts.push(`${notes.pages} site ${notes.pages === 1 ? "page" : "pages"} too.`)
    return parts.join(" ")
  }

  /* Material writes its own count into the line after each answer: ours is put back
     whenever the line changes while the answer it describes is shown */
  let counted = null /* { query, text } */
  function recount() {
    const meta = document.querySelector(".md-search-result__meta")
    if (!meta || !counted || /^No matching/.test(meta.textContent)) return
    if (meta.textContent !== counted.text) meta.textContent = counted.text
    meta.dataset.pcQuery = counted.query
  }

  /* Material's header box: the notes go under its result count, and the count of
     papers with every word beside them */
  function headerNotes(message) {
    const result = document.querySelector("[data-md-component=search-result]")
    const input = document.querySelector("[data-md-component=search-query]")
    if (!result || !input) return
    let box = result.querySelector(".pc-search-note")
    if (!box) {
      box = document.createElement("div")
      box.className = "pc-search-note"
      box.setAttribute("aria-live", "polite")
      result.querySelector(".md-search-result__meta").after(box)
    }
    const notes = message.data.notes
    show(box, notes, message.query, query => {
      input.value = query
      input.focus()
      input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }))
    })
    const meta = result.querySelector(".md-search-result__meta")
    delete meta.dataset.pcQuery
    counted = notes && "shown" in notes ? { query: message.query, text: headerCount(notes) } : null
    if (!result.pcCounting) {
      result.pcCounting = new MutationObserver(recount)
      result.pcCounting.observe(meta, { childList: true, characterData: true, subtree: true })
    }
    recount()
  }

  const Native = window.Worker
  if (!Native) return
  window.Worker = class extends Native {
    constructor(url, options) {
      super(url, options)
      if (String(url).includes("paper-search-worker"))
        this.addEventListener("message", ev => {
          const m = ev.data
          if (m && m.type === 3 && m.data && "notes" in m.data) headerNotes(m)
        })
    }
  }
})()
