// The receipt box of "where my budget went" (docs/TRANSPARENCY.md, "The receipt"): fetches the
// reader's receipt and, separately, the month's published head, and checks the one against
// the other with the browser's own SHA-256 and no library. Every word shown comes from the
// page's data attributes, so this script speaks no language of its own.
(function () {
  "use strict";
  var box = document.getElementById("receipt");
  var status = document.getElementById("receipt-status");
  if (!box || !status) return;

  function show(ok, reason) {
    status.hidden = false;
    status.className = "receipt-status " + (ok ? "notice" : "alert");
    status.textContent = ok
      ? status.dataset.verified
      : status.dataset.failed + " " + status.dataset["fail" + reason];
  }

  // A check that did not hold: its name picks the message (data-fail-leaf → "Leaf").
  function Failure(reason) {
    this.reason = reason;
  }
  function check(ok, reason) {
    if (!ok) throw new Failure(reason);
  }

  // "2.50" → "2500000": decimal text to whole micro-units, without floating point.
  function micros(text) {
    var parts = /^(\d+)(?:\.(\d{1,6}))?$/.exec(String(text));
    check(parts, "Leaf");
    var whole = BigInt(parts[1]) * 1000000n + BigInt((parts[2] || "").padEnd(6, "0"));
    return whole;
  }

  function fromHex(text) {
    check(typeof text === "string" && /^[0-9a-f]{64}$/.test(text), "Hash");
    var bytes = new Uint8Array(32);
    for (var i = 0; i < 32; i++) bytes[i] = parseInt(text.substr(i * 2, 2), 16);
    return bytes;
  }

  function toHex(bytes) {
    return Array.prototype.map
      .call(bytes, function (b) {
        return b.toString(16).padStart(2, "0");
      })
      .join("");
  }

  function sha256(prefix, parts) {
    var length = 1 + parts.reduce(function (n, p) { return n + p.length; }, 0);
    var data = new Uint8Array(length);
    data[0] = prefix;
    var at = 1;
    parts.forEach(function (p) {
      data.set(p, at);
      at += p.length;
    });
    return crypto.subtle.digest("SHA-256", data).then(function (digest) {
      return new Uint8Array(digest);
    });
  }

  // Check 1: the leaf is exactly the text of the receipt's own fields, for this page's month.
  function checkLeaf(receipt) {
    check(receipt.month === box.dataset.month, "Leaf");
    check(Array.isArray(receipt.allocations), "Leaf");
    var sum = 0n;
    var shares = receipt.allocations.map(function (a) {
      var amount = micros(a.amount);
      sum += amount;
      return String(a.thing_id) + ":" + amount;
    });
    var debited = micros(receipt.debited);
    var text = ["obole-receipt-v1", receipt.month, String(receipt.reader_id), String(debited), shares.join(",")];
    check(receipt.leaf === text.join("|"), "Leaf");
    check(sum === debited, "Sum");
  }

  // Checks 3 and 4: the leaf's hash, then RFC 9162 §2.1.3.2 from it along the proof.
  function rootFromProof(receipt) {
    var leaf = new TextEncoder().encode(receipt.leaf);
    return sha256(0, [leaf]).then(function (hash) {
      check(toHex(hash) === receipt.leaf_hash, "Hash");
      check(Number.isSafeInteger(receipt.index) && Number.isSafeInteger(receipt.tree_size), "Proof");
      check(Array.isArray(receipt.proof), "Proof");
      var fn = BigInt(receipt.index);
      var sn = BigInt(receipt.tree_size) - 1n;
      check(fn <= sn, "Proof");
      var proof = receipt.proof.map(fromHex);
      var step = Promise.resolve(hash);
      proof.forEach(function (p) {
        step = step.then(function (r) {
          check(sn !== 0n, "Proof");
          var next;
          if (fn % 2n === 1n || fn === sn) {
            next = sha256(1, [p, r]);
            while (fn % 2n === 0n && fn !== 0n) {
              fn /= 2n;
              sn /= 2n;
            }
          } else {
            next = sha256(1, [r, p]);
          }
          fn /= 2n;
          sn /= 2n;
          return next;
        });
      });
      return step.then(function (r) {
        check(sn === 0n, "Proof");
        return toHex(r);
      });
    });
  }

  function json(url, credentials) {
    return fetch(url, { credentials: credentials, headers: { Accept: "application/json" } }).then(
      function (response) {
        if (!response.ok) throw new Failure("Fetch");
        return response.json();
      }
    );
  }

  if (!window.crypto || !crypto.subtle || !window.TextEncoder || typeof BigInt !== "function") {
    show(false, "Browser");
    return;
  }
  status.hidden = false;
  status.textContent = status.dataset.checking;
  Promise.all([
    json(box.dataset.receiptUrl, "same-origin"),
    // The head as anyone sees it: fetched on its own, without the session.
    json(box.dataset.headUrl, "omit"),
  ])
    .then(function (both) {
      var receipt = both[0];
      var head = both[1];
      checkLeaf(receipt);
      return rootFromProof(receipt).then(function (root) {
        // Check 5, against the published head, not the receipt's own root.
        check(root === head.root, "Root");
        check(receipt.tree_size === head.tree_size, "Size");
        show(true);
      });
    })
    .catch(function (error) {
      show(false, error instanceof Failure ? error.reason : "Fetch");
    });
})();
