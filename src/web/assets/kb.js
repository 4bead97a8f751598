// kb's pages: the suggestion box (an ARIA combobox over /api/v1/suggest) and the
// "Was this article helpful?" buttons. Plain JavaScript, no framework, no build step. Without it
// (or when a call fails) the forms still work: search submits to the results page.
(function () {
  "use strict";

  var DEBOUNCE_MS = 80;
  var SUGGESTIONS = 5;
  var LAST_QUERY_KEY = "kb-last-query";
  // Tells this page's typing apart from other people's behind the same address; never stored.
  var SESSION = Math.random().toString(36).slice(2, 12);

  // Reports a click on a suggestion or result, also while the browser leaves the page.
  function reportClick(click) {
    var json = JSON.stringify(click);
    var sent = false;
    try {
      sent = navigator.sendBeacon("/api/v1/click", new Blob([json], { type: "application/json" }));
    } catch (ignored) {
      sent = false;
    }
    if (!sent) {
      fetch("/api/v1/click", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: json,
        keepalive: true,
      }).catch(function () {});
    }
  }

  function remember(query) {
    try {
      window.sessionStorage.setItem(LAST_QUERY_KEY, query);
    } catch (ignored) {
      // Storage may be disabled; the query is only a hint for feedback.
    }
  }

  function lastQuery() {
    try {
      return window.sessionStorage.getItem(LAST_QUERY_KEY);
    } catch (ignored) {
      return null;
    }
  }

  function span(className, content, isMarkup) {
    var element = document.createElement("span");
    element.className = className;
    if (isMarkup) {
      element.innerHTML = content;
    } else {
      element.textContent = content;
    }
    return element;
  }

  function suggestionBox(form) {
    var input = form.querySelector('input[role="combobox"]');
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var status = form.querySelector("[data-suggest-status]");
    var timer = null;
    var pending = null;
    var results = [];
    var active = -1;

    function close() {
      list.hidden = true;
      list.textContent = "";
      results = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function select(index) {
      var options = list.querySelectorAll('[role="option"]');
      active = index;
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open(index) {
      remember(input.value);
      reportClick({
        id: results[index].id,
        lang: form.getAttribute("data-lang"),
        query: input.value,
        sid: SESSION,
      });
      window.location.assign(results[index].url);
    }

    function option(result, index) {
      var item = document.createElement("li");
      item.id = list.id + "-" + index;
      item.className = "suggestion";
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      var link = document.createElement("a");
      link.href = result.url;
      link.tabIndex = -1;
      // title_html and snippet_html come escaped from the server, with <mark> around matches;
      // everything else is set as text.
      link.appendChild(span("suggestion-title", result.title_html, true));
      if (result.fallback) {
        var badge = span("badge", result.lang.toUpperCase(), false);
        badge.lang = result.lang;
        badge.title = form.getAttribute("data-fallback-badge");
        link.appendChild(badge);
      }
      if (result.section) {
        link.appendChild(span("suggestion-section", result.section, false));
      }
      if (result.snippet_html) {
        link.appendChild(span("suggestion-snippet", result.snippet_html, true));
      }
      item.appendChild(link);
      item.addEventListener("mousedown", function (event) {
        event.preventDefault();
      });
      item.addEventListener("click", function (event) {
        event.preventDefault();
        open(index);
      });
      return item;
    }

    function show(found) {
      close();
      results = found.slice(0, SUGGESTIONS);
      if (results.length === 0) {
        status.textContent = "";
        return;
      }
      results.forEach(function (result, index) {
        list.appendChild(option(result, index));
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = form.getAttribute("data-suggestions-count").replace("{}", results.length);
    }

    function suggest() {
      var query = input.value;
      if (pending) {
        pending.abort();
        pending = null;
      }
      if (query.trim() === "") {
        close();
        return;
      }
      var request = new AbortController();
      pending = request;
      var params = new URLSearchParams({
        q: query,
        lang: form.getAttribute("data-lang"),
        limit: SUGGESTIONS,
        sid: SESSION,
      });
      fetch("/api/v1/suggest?" + params.toString(), {
        signal: request.signal,
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("suggest answered " + response.status);
          }
          return response.json();
        })
        .then(function (body) {
          if (pending === request) {
            pending = null;
            show(body.results || []);
          }
        })
        .catch(function () {
          if (pending === request) {
            pending = null;
            close();
          }
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(suggest, DEBOUNCE_MS);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && results.length > 0) {
        event.preventDefault();
        select((active + 1) % results.length);
      } else if (event.key === "ArrowUp" && results.length > 0) {
        event.preventDefault();
        select(active <= 0 ? results.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        open(active);
      } else if (event.key === "Escape") {
        // An open list closes and keeps the text; a second Escape clears the field as usual.
        window.clearTimeout(timer);
        if (!list.hidden) {
          event.preventDefault();
        }
        close();
      }
    });
    input.addEventListener("blur", function () {
      window.clearTimeout(timer);
      close();
    });
    form.addEventListener("submit", function () {
      remember(input.value);
      var session = document.createElement("input");
      session.type = "hidden";
      session.name = "sid";
      session.value = SESSION;
      form.appendChild(session);
    });
  }

  function feedbackButtons(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var helpful = event.submitter ? event.submitter.value === "true" : true;
      var vote = {
        id: form.getAttribute("data-id"),
        lang: form.getAttribute("data-lang"),
        helpful: helpful,
      };
      var query = lastQuery();
      if (query) {
        vote.query = query;
      }
      var buttons = form.querySelectorAll("button");
      buttons.forEach(function (button) {
        button.disabled = true;
      });
      fetch("/api/v1/feedback", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(vote),
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("feedback answered " + response.status);
          }
          form.classList.add("sent");
          form.querySelector("[data-thanks]").hidden = false;
        })
        .catch(function () {
          buttons.forEach(function (button) {
            button.disabled = false;
          });
        });
    });
  }

  function resultClicks(list) {
    list.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-id]");
      if (link) {
        reportClick({
          id: link.getAttribute("data-id"),
          lang: list.getAttribute("data-lang"),
          search: Number(list.getAttribute("data-search")),
        });
      }
    });
  }

  document.querySelectorAll("form[data-suggest]").forEach(suggestionBox);
  document.querySelectorAll("ol.results[data-search]").forEach(resultClicks);
  document.querySelectorAll("form[data-feedback]").forEach(feedbackButtons);
})();
