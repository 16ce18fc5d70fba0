/** Strings shared by several chapters and the UI helpers, in both languages. */
import { pick } from './lang.js';

/** The shared strings for the page's language (call after `setLang`). */
export function common() {
  return pick({
    en: {
      key: 'Key (seed)',
      epochs: 'Epochs',
      training: 'training…',
      epochOf: (e: number, n: number) => `epoch ${e} of ${n}`,
      loss: 'loss',
      epoch: 'epoch',
      layer: 'layer',
      target: 'target',
      network: 'network',
      noData: 'No data yet',
      dataTable: 'Data as a table',
      moreRows: (n: number) => `… and ${n} more rows (download the SVG for all)`,
      download: (label: string, kind: string) => `Download ${label} as ${kind}`,
      finalLoss: 'final loss',
      runs: 'runs',
      series: 'series',
      value: 'value',
    },
    'zh-CN': {
      key: '随机密钥（种子）',
      epochs: '训练轮数',
      training: '训练中…',
      epochOf: (e: number, n: number) => `第 ${e} / ${n} 轮`,
      loss: '损失',
      epoch: '轮次',
      layer: '层',
      target: '目标',
      network: '网络',
      noData: '暂无数据',
      dataTable: '以表格显示数据',
      moreRows: (n: number) => `……另有 ${n} 行（下载 SVG 可得全部数据）`,
      download: (label: string, kind: string) => `将“${label}”下载为 ${kind}`,
      finalLoss: '最终损失',
      runs: '次数',
      series: '序列',
      value: '值',
    },
  });
}
