import { create, type MessageInitShape, toBinary } from '@bufbuild/protobuf';
import { type Value, ValueSchema } from '@bufbuild/protobuf/wkt';
import { NntkError } from '@nntk/core';
import { EventSchema } from './gen/tensorboard/compat/proto/event_pb';
import { SummaryMetadataSchema, SummarySchema } from './gen/tensorboard/compat/proto/summary_pb';
import { DataType as TensorDataType } from './gen/tensorboard/compat/proto/types_pb';
import { DataType, Status } from './gen/tensorboard/plugins/hparams/api_pb';
import { HParamsPluginDataSchema } from './gen/tensorboard/plugins/hparams/plugin_data_pb';
import { TextPluginDataSchema } from './gen/tensorboard/plugins/text/plugin_data_pb';
import type { HistogramData } from './histogram';

type ValueInit = MessageInitShape<typeof SummarySchema>['value'];
export type HParamValue = number | string | boolean;

/** One serialized `Event` holding `summary` (or `fileVersion`), as `FileWriter.add_event` makes it. */
export function encodeEvent(
  wallTime: number,
  step: number | undefined,
  what: { summary: ValueInit } | { fileVersion: string },
): Uint8Array {
  const event = create(EventSchema, {
    wallTime,
    step: step === undefined ? undefined : BigInt(step),
    what:
      'summary' in what
        ? { case: 'summary', value: create(SummarySchema, { value: what.summary }) }
        : { case: 'fileVersion', value: what.fileVersion },
  });
  return toBinary(EventSchema, event);
}

/** `summary.scalar` (old style): `simple_value`, a float32. */
export function scalarValue(tag: string, value: number): ValueInit {
  return [{ tag, value: { case: 'simpleValue', value } }];
}

/** `summary.histogram` / `histogram_raw`. */
export function histogramValue(tag: string, h: HistogramData): ValueInit {
  return [
    {
      tag,
      value: {
        case: 'histo',
        value: {
          min: h.min,
          max: h.max,
          num: h.num,
          sum: h.sum,
          sumSquares: h.sumSquares,
          bucketLimit: h.bucketLimits,
          bucket: h.bucketCounts,
        },
      },
    },
  ];
}

/** `summary.image`: an encoded PNG with its size and channel count. */
export function imageValue(
  tag: string,
  png: Uint8Array,
  height: number,
  width: number,
  channels: number,
): ValueInit {
  return [
    {
      tag,
      value: { case: 'image', value: { height, width, colorspace: channels, encodedImageString: png } },
    },
  ];
}

/** `summary.text`: a DT_STRING tensor of shape [1] under the text plugin, tagged `<tag>/text_summary`. */
export function textValue(tag: string, text: string): ValueInit {
  return [
    {
      tag: `${tag}/text_summary`,
      metadata: {
        pluginData: {
          pluginName: 'text',
          content: toBinary(TextPluginDataSchema, create(TextPluginDataSchema, { version: 0 })),
        },
      },
      value: {
        case: 'tensor',
        value: {
          dtype: TensorDataType.DT_STRING,
          stringVal: [new TextEncoder().encode(text)],
          tensorShape: { dim: [{ size: 1n }] },
        },
      },
    },
  ];
}

function protoValue(value: HParamValue): Value {
  if (typeof value === 'number') return create(ValueSchema, { kind: { case: 'numberValue', value } });
  if (typeof value === 'string') return create(ValueSchema, { kind: { case: 'stringValue', value } });
  return create(ValueSchema, { kind: { case: 'boolValue', value } });
}

function hparamType(value: HParamValue): DataType {
  if (typeof value === 'number') return DataType.FLOAT64;
  if (typeof value === 'string') return DataType.STRING;
  return DataType.BOOL;
}

function pluginSummary(
  tag: string,
  data: MessageInitShape<typeof HParamsPluginDataSchema>['data'],
): ValueInit {
  const content = toBinary(HParamsPluginDataSchema, create(HParamsPluginDataSchema, { version: 0, data }));
  return [
    { tag, metadata: create(SummaryMetadataSchema, { pluginData: { pluginName: 'hparams', content } }) },
  ];
}

/**
 * The hparams plugin's three summaries, as `torch.utils.tensorboard.summary.hparams` builds them: the
 * experiment (hyperparameter and metric infos), the session start (values) and the session end (success).
 */
export function hparamsValues(
  hparams: Record<string, HParamValue>,
  metrics: string[],
  domainDiscrete: Record<string, HParamValue[]> = {},
): { experiment: ValueInit; sessionStart: ValueInit; sessionEnd: ValueInit } {
  for (const [key, values] of Object.entries(domainDiscrete)) {
    if (!(key in hparams) || !values.every((v) => typeof v === typeof hparams[key]))
      throw new NntkError(
        'INVALID_OPTION',
        `TensorBoardLogger: hparamDomainDiscrete.${key} must list values of the same type as hparams.${key}`,
      );
  }
  const entries = Object.entries(hparams);
  for (const [key, value] of entries)
    if (!['number', 'string', 'boolean'].includes(typeof value))
      throw new NntkError(
        'INVALID_OPTION',
        `TensorBoardLogger: hparams.${key} must be a number, string or boolean`,
      );
  const hparamInfos = entries.map(([name, value]) => ({
    name,
    type: hparamType(value),
    domain:
      name in domainDiscrete
        ? { case: 'domainDiscrete' as const, value: { values: domainDiscrete[name].map(protoValue) } }
        : undefined,
  }));
  return {
    experiment: pluginSummary('_hparams_/experiment', {
      case: 'experiment',
      value: { hparamInfos, metricInfos: metrics.map((tag) => ({ name: { tag } })) },
    }),
    sessionStart: pluginSummary('_hparams_/session_start_info', {
      case: 'sessionStartInfo',
      value: { hparams: Object.fromEntries(entries.map(([k, v]) => [k, protoValue(v)])) },
    }),
    sessionEnd: pluginSummary('_hparams_/session_end_info', {
      case: 'sessionEndInfo',
      value: { status: Status.SUCCESS },
    }),
  };
}
