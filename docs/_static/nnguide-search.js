/* The site's search: Pagefind's index (docs/_ext/nnguide_search.py), fetched only once the
   reader types into a search box; results appear as they type, in the theme's search
   dialog and on the search page, which also reads ?q= so that old links keep working. */
"use strict";

(() => {
  const LIMIT = { dialog: 8, page: 20 };
  let loading = null; // the Pagefind module, once a search box asked for it

  // Chinese has no spaces between words. Pagefind cuts the pages into words with jieba
  // when it indexes them, but the query with the browser's segmenter, which cuts
  // differently (一分钟 is one word in the index, 一 and 分钟 in the query), and a page
  // must hold every word of a query to be found. So the site cuts the pages itself, as
  // jieba does, before Pagefind reads them, and ships the words it found with their jieba
  // frequencies (nnguide_search.segment_pages); the query is cut here the same way, and
  // Pagefind is handed words it must keep as they are.
  const CJK = /[\u3400-\u9fff\uf900-\ufaff]+/gu;

  const segmenter = (vocabulary) => {
    const logTotal = Math.log(vocabulary.total);
    const longest = Math.max(...Object.keys(vocabulary.words).map((w) => w.length));
    const score = (word) => Math.log(vocabulary.words[word] || 1) - logTotal;
    // jieba's cut without its HMM: the most probable path through the known words.
    const cut = (run) => {
      const best = new Array(run.length + 1).fill(null);
      best[run.length] = { score: 0, words: [] };
      for (let i = run.length - 1; i >= 0; i--) {
        for (let j = i + 1; j <= Math.min(run.length, i + longest); j++) {
          const word = run.slice(i, j);
          if (j > i + 1 && !(word in vocabulary.words)) continue;
          const rest = best[j];
          const total = score(word) + rest.score;
          if (best[i] === null || total > best[i].score) {
            best[i] = { score: total, words: [word, ...rest.words] };
          }
        }
      }
      return best[0].words;
    };
    return (query) =>
      query
        .replace(CJK, (run) => ` ${cut(run).join(" ")} `)
        // Identifiers: the index holds weights_only and F.relu as their parts.
        .replace(/(?<=\w)[_.](?=\w)/g, " ")
        .replace(/\s+/g, " ")
        .trim();
  };

  // Pagefind cuts a Chinese query with Intl.Segmenter; hand it back the words as cut here.
  const keepWords = () => {
    const Browser = Intl.Segmenter;
    class WordsAsGiven extends Browser {
      constructor(locale, options) {
        super(locale, options);
        this.asGiven = options?.granularity === "word";
      }
      segment(text) {
        if (!this.asGiven) return super.segment(text);
        return text.split(/(\s+)/).filter(Boolean).map((segment) => ({ segment }));
      }
    }
    Intl.Segmenter = WordsAsGiven;
  };

  const pagefind = (box) => {
    if (loading === null) {
      const bundle = new URL(box.dataset.bundle, document.baseURI);
      loading = import(bundle.href).then(async (module) => {
        // Result URLs are relative to the folder Pagefind indexed: the language's root.
        // In the page, not in Pagefind's worker: the worker would cut a Chinese query with
        // its own Intl.Segmenter, and this site's index is small enough to search here
        // (one code path for every language, one script fewer to fetch).
        const options = { baseUrl: new URL("../", bundle).pathname, noWorker: true };
        let prepare = (query) => query;
        if (box.dataset.words) {
          const response = await fetch(new URL(box.dataset.words, document.baseURI));
          prepare = segmenter(await response.json());
          keepWords();
        }
        await module.options(options);
        return { module, prepare };
      });
    }
    return loading;
  };

  // The index's text holds the zero-width spaces the site cut Chinese pages with.
  const visible = (text) => text.replace(/\u200b/g, "");

  const say = (box, template, values = {}) => {
    const line = document.createElement("p");
    line.className = "nnguide-search-status";
    line.textContent = template.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");
    return line;
  };

  // Pagefind's excerpts are plain text with the matched words in <mark>: keep the marks,
  // write everything else as text.
  const excerpt = (html) => {
    const paragraph = document.createElement("p");
    paragraph.className = "nnguide-search-excerpt";
    const template = document.createElement("template");
    template.innerHTML = html;
    for (const node of template.content.childNodes) {
      if (node.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = visible(node.textContent);
        paragraph.append(mark);
      } else {
        paragraph.append(visible(node.textContent));
      }
    }
    return paragraph;
  };

  const item = (result) => {
    const li = document.createElement("li");
    const link = document.createElement("a");
    link.className = "nnguide-search-title";
    link.href = result.url;
    link.textContent = visible(result.meta.title || result.url);
    li.append(link);
    // The section that matched best, when it is not the page's top.
    const section = (result.sub_results || []).find(
      (sub) => sub.url.includes("#") && sub.title && sub.title !== result.meta.title,
    );
    if (section) {
      const sub = document.createElement("a");
      sub.className = "nnguide-search-section";
      sub.href = section.url;
      sub.textContent = visible(section.title);
      li.append(" › ", sub);
    }
    li.append(excerpt((section || result).excerpt || ""));
    return li;
  };

  const show = async (box, query, limit) => {
    const wanted = query.trim();
    box.dataset.query = wanted;
    if (!wanted) {
      box.replaceChildren();
      box.hidden = true;
      return;
    }
    box.hidden = false;
    if (!box.firstChild) box.append(say(box, box.dataset.searching));
    let search;
    try {
      search = await pagefind(box);
    } catch (error) {
      box.replaceChildren(say(box, box.dataset.unavailable));
      console.warn("nnguide search:", error);
      return;
    }
    const found = await search.module.debouncedSearch(search.prepare(wanted), {}, 120);
    if (found === null || box.dataset.query !== wanted) return; // a later keystroke won
    const results = await Promise.all(found.results.slice(0, limit).map((r) => r.data()));
    if (box.dataset.query !== wanted) return;
    const count = found.results.length;
    const template = count === 0 ? box.dataset.none : count === 1 ? box.dataset.one : box.dataset.many;
    const list = document.createElement("ol");
    list.className = "nnguide-search-list";
    list.append(...results.map(item));
    box.replaceChildren(say(box, template, { query: wanted, count }), list);
  };

  const attach = (input, box, limit, onQuery) => {
    input.addEventListener("input", () => {
      show(box, input.value, limit);
      if (onQuery) onQuery(input.value);
    });
    // Down arrow: from the box to the first result.
    input.addEventListener("keydown", (event) => {
      const first = box.querySelector("a");
      if (event.key === "ArrowDown" && first) {
        event.preventDefault();
        first.focus();
      }
    });
  };

  const start = () => {
    const dialog = document.getElementById("pst-search-dialog");
    const page = document.querySelector(".nnguide-search-page");
    if (dialog) {
      const input = dialog.querySelector("input[name=q]");
      const box = dialog.querySelector(".nnguide-search-results");
      if (input && box) attach(input, box, LIMIT.dialog);
    }
    if (page) {
      const input = page.querySelector("input[name=q]");
      const box = page.querySelector(".nnguide-search-results");
      if (!input || !box) return;
      // The URL follows the query, so that a result list can be linked to.
      attach(input, box, LIMIT.page, (value) => {
        const url = new URL(window.location.href);
        url.searchParams.set("q", value);
        window.history.replaceState(null, "", url);
      });
      const query = new URLSearchParams(window.location.search).get("q");
      if (query) {
        input.value = query;
        show(box, query, LIMIT.page);
      }
      input.focus();
    }
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
