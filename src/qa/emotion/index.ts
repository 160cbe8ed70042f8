export { segmentSentiment, type SegmentSentiment } from './sentiment.js';
export {
  analyseEmotion,
  defaultEmotionOptions,
  type CallEmotion,
  type CurvePoint,
  type EmotionOptions,
  type SegmentEmotion,
  type Swing,
} from './curve.js';
export { satisfactionOf, satisfactionScore, type Satisfaction } from './satisfaction.js';
