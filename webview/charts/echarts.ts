/**
 * ECharts, trimmed to what the panel draws (tree-shaken through `echarts/core`). Chosen because it renders to
 * canvas or SVG without `eval`/`new Function` (the only such call in the library is in the GeoJSON loader, which is
 * not bundled), so it runs under the webview's strict CSP; it draws a 6,466-point scatter on canvas smoothly, has
 * heatmap and box plot series built in, and renders the same option to an SVG string for export.
 */
import * as echarts from 'echarts/core';
import { BoxplotChart, HeatmapChart, LineChart, ScatterChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';

echarts.use([
  HeatmapChart,
  ScatterChart,
  BoxplotChart,
  LineChart,
  GridComponent,
  TooltipComponent,
  VisualMapComponent,
  LegendComponent,
  TitleComponent,
  DataZoomComponent,
  CanvasRenderer,
  SVGRenderer,
]);

export { echarts };
export type ChartOption = echarts.EChartsCoreOption;
