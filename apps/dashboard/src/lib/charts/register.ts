import { Chart, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { overlayPlugin } from './overlay.ts';

// Only the Chart.js parts the dashboard uses, registered once (keeps the bundle small). The
// time axis is a linear scale of milliseconds with ticks from time.ts, so no date adapter
// (date-fns was 11 KB gzip); the legend is HTML (LineChart.svelte). No decimation: the server
// asks for at most ~300 points per series, fewer than Chart.js would ever decimate.
Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip, overlayPlugin);

export { Chart };
