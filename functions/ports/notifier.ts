/**
 * Tells a candidate something (results, reminders, lapses). The ledger records every notification as a
 * CandidateNotified event, which is the local outbox; in AWS this port also sends it by email (SES).
 */
export interface Notifier {
  send(candidateId: string, notification: { topic: string; message: string }): Promise<void>;
}
