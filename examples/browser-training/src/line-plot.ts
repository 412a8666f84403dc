/** One series of a {@link drawLinePlot}: points as [x, y]. */
export interface PlotSeries {
  label: string;
  color: string;
  points: [number, number][];
}

/**
 * Draws series as lines on a canvas, with the y range of the data, the x range [0, xMax], and the last
 * value of each series in its legend. Plain 2D canvas, no chart library.
 */
export function drawLinePlot(
  canvas: HTMLCanvasElement,
  title: string,
  xMax: number,
  series: PlotSeries[],
): void {
  const context = canvas.getContext('2d');
  if (!context) return;
  const { width, height } = canvas;
  const pad = { left: 44, right: 10, top: 22, bottom: 22 };
  context.clearRect(0, 0, width, height);
  context.font = '12px sans-serif';
  context.fillStyle = '#222';
  context.fillText(title, pad.left, 14);
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  if (ys.length === 0) return;
  let low = Math.min(...ys);
  let high = Math.max(...ys);
  if (high - low < 1e-9) [low, high] = [low - 0.5, high + 0.5];
  const x = (v: number) => pad.left + (v / Math.max(1, xMax)) * (width - pad.left - pad.right);
  const y = (v: number) => height - pad.bottom - ((v - low) / (high - low)) * (height - pad.top - pad.bottom);
  context.strokeStyle = '#bbb';
  context.strokeRect(pad.left, pad.top, width - pad.left - pad.right, height - pad.top - pad.bottom);
  context.fillStyle = '#555';
  context.fillText(high.toPrecision(3), 2, pad.top + 10);
  context.fillText(low.toPrecision(3), 2, height - pad.bottom);
  context.fillText(String(xMax), width - pad.right - 24, height - 6);
  series.forEach((s, i) => {
    context.strokeStyle = s.color;
    context.lineWidth = 2;
    context.beginPath();
    s.points.forEach(([px, py], j) => {
      if (j === 0) context.moveTo(x(px), y(py));
      else context.lineTo(x(px), y(py));
    });
    context.stroke();
    const last = s.points.at(-1);
    context.fillStyle = s.color;
    context.fillText(
      `${s.label}${last ? ` ${last[1].toFixed(3)}` : ''}`,
      pad.left + 8 + 150 * i,
      pad.top + 14,
    );
  });
}
