// Asterisk's JSON timestamps: "2024-11-24T09:40:00.123+0000" (milliseconds, numeric offset).
export function ariTimestamp(date: Date = new Date()): string {
  return date.toISOString().replace('Z', '+0000');
}
