import type { CheckIssue, SecurityAudit } from "../checks.js";
import { ApiError, type PluginCheck } from "./api.js";
import { h } from "./dom.js";

/** An error box: the code, what happened, and what to do about it. */
export function errorBox(error: unknown): HTMLElement {
  if (!(error instanceof ApiError)) {
    return h(
      "div",
      { class: "error-box", role: "alert" },
      h("span", { class: "code" }, "NETWORK"),
      h("p", {}, error instanceof Error ? error.message : String(error)),
      h("p", { class: "suggestion" }, "Check that the playground server is still running, then retry."),
    );
  }
  const { code, message, suggestion, issues } = error.body;
  return h(
    "div",
    { class: "error-box", role: "alert", "data-code": code },
    h(
      "div",
      { class: "row" },
      h("span", { class: "code" }, code),
      h("span", { class: "muted small" }, `HTTP ${error.status}`),
    ),
    h("p", { class: "message" }, message),
    suggestion ? h("p", { class: "suggestion" }, h("strong", {}, "What to do: "), suggestion) : null,
    issues && issues.length > 1
      ? h(
          "ul",
          { class: "issue-lines" },
          ...issues.map((i) => h("li", {}, `${i.path?.join(".") || "(root)"}: ${i.message}`)),
        )
      : null,
  );
}

function severityPill(severity: string): HTMLElement {
  return h("span", { class: `pill sev-${severity.toLowerCase()}` }, severity);
}

/** Where an issue sits: a manifest path ("entryPoints.0.functionName") or a module location. */
function where(issue: CheckIssue): string {
  if (issue.path.length > 0) return `manifest: ${issue.path.join(".")}`;
  if (!issue.location) return "";
  const parts = Object.entries(issue.location).map(([k, v]) =>
    k === "section" ? `${v} section` : `${k} ${v}`,
  );
  return parts.length > 0 ? `module: ${parts.join(", ")}` : "";
}

function issueList(issues: CheckIssue[]): HTMLElement {
  if (issues.length === 0) return h("p", { class: "ok-line" }, "✓ No validation issues.");
  return h(
    "ul",
    { class: "issues" },
    ...issues.map((i) =>
      h(
        "li",
        {},
        h(
          "div",
          { class: "row" },
          severityPill(i.severity),
          h("code", {}, i.code),
          where(i) ? h("span", { class: "muted small" }, where(i)) : null,
        ),
        h("p", {}, i.message),
        i.suggestion ? h("p", { class: "suggestion" }, h("strong", {}, "Fix: "), i.suggestion) : null,
      ),
    ),
  );
}

function scoreClass(score: number): string {
  return score >= 80 ? "good" : score >= 50 ? "fair" : "poor";
}

function auditView(audit: SecurityAudit): HTMLElement {
  return h(
    "div",
    { class: "audit", id: "audit" },
    h(
      "div",
      { class: "audit-head" },
      h(
        "div",
        { class: `score ${scoreClass(audit.securityScore)}`, id: "audit-score" },
        h("strong", {}, String(audit.securityScore)),
        h("span", {}, "/ 100"),
      ),
      h(
        "div",
        {},
        h("h4", {}, "Security audit"),
        h(
          "p",
          { class: audit.productionReady ? "ok-line" : "warn-line" },
          audit.productionReady ? "✓ Production ready" : "⚠ Not production ready",
        ),
      ),
    ),
    audit.issues.length === 0
      ? h("p", { class: "ok-line" }, "✓ No findings.")
      : h(
          "table",
          { class: "findings" },
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              h("th", {}, "Severity"),
              h("th", {}, "Finding"),
              h("th", {}, "Impact"),
              h("th", {}, "Fix"),
            ),
          ),
          h(
            "tbody",
            {},
            ...audit.issues.map((f) =>
              h(
                "tr",
                {},
                h("td", {}, severityPill(f.severity)),
                h("td", {}, h("code", {}, f.code), h("div", {}, f.description)),
                h("td", {}, f.impact ?? ""),
                h("td", {}, f.fix ?? ""),
              ),
            ),
          ),
        ),
    audit.mitigations && audit.mitigations.length > 0
      ? h(
          "div",
          {},
          h("h4", {}, "Mitigations in place"),
          h("ul", { class: "mitigations" }, ...audit.mitigations.map((m) => h("li", {}, m))),
        )
      : null,
  );
}

/** The result of the static checks: verdict, manifest summary, issues, audit. */
export function checkView(check: PluginCheck): HTMLElement {
  const errors = check.issues.filter((i) => i.severity === "error").length;
  const m = check.manifest;
  return h(
    "div",
    { class: "check" },
    h(
      "p",
      { class: `verdict ${check.ok ? "ok" : "bad"}`, id: "verdict" },
      check.ok
        ? "✓ Checks passed: nothing has run yet. Register to store it in the registry."
        : `✗ ${errors} error${errors === 1 ? "" : "s"}: fix ${errors === 1 ? "it" : "them"} before registering.`,
    ),
    m
      ? h(
          "p",
          { class: "small" },
          h("strong", {}, `${m.name} `),
          h("code", {}, `${m.id}@${m.version}`),
          ` · entry points: ${m.entryPoints.map((e) => e.functionName).join(", ")}`,
        )
      : null,
    check.embeddedManifest
      ? h(
          "p",
          { class: "muted small" },
          "The manifest was read from the module's wasm-sandbox.manifest section.",
        )
      : null,
    h("h4", {}, "Validation"),
    issueList(check.issues),
    check.audit ? auditView(check.audit) : null,
  );
}
