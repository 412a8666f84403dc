/** The report's stylesheet: full page width, plots in a responsive grid, readable tables. */
export const REPORT_CSS = `
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;padding:20px 28px;color:#111;background:#fafafa}
header h1{margin:0 0 4px;font-size:22px;word-break:break-all}
h2{font-size:17px;margin:28px 0 10px;border-bottom:1px solid #ddd;padding-bottom:4px}
.muted{color:#666;font-size:13px;margin:0}
section{width:100%}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(600px,1fr));gap:16px;align-items:start}
figure{margin:0;background:#fff;border:1px solid #e3e3e3;border-radius:6px;padding:8px;overflow-x:auto}
figure svg{max-width:100%;height:auto;display:block}
table{border-collapse:collapse;background:#fff;font-size:13px}
th,td{border:1px solid #ddd;padding:4px 8px}
th{background:#f2f2f2;font-weight:600;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}
th.run{word-break:break-all;max-width:none}
table.summary{width:100%}
th.test{background:#e8f3e8}
table.confusion{font-size:12px}
table.confusion caption{caption-side:top;text-align:left;padding:4px 0;color:#444}
td.cm{text-align:center;min-width:54px;padding:3px 4px;line-height:1.15;font-variant-numeric:tabular-nums}
td.cm small{display:block;font-size:10px;opacity:.85}
td.cm.diag{outline:2px solid #444;outline-offset:-2px}
th.pred{writing-mode:vertical-rl;transform:rotate(180deg);text-align:left;white-space:nowrap}
td.total{color:#666;text-align:right}
table.config td{font-family:ui-monospace,monospace;word-break:break-all}
table.differ tr:not(:first-child) td{background:#fff6d6}
details{margin-top:8px}
`;
