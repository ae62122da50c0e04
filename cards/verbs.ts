/**
 * The verbs the cards send with Action.Execute (and, for older clients, inside the Action.Submit
 * fallback's data as `verb`). bot/ routes on exactly these strings.
 */
export const cardVerbs = {
  openReview: 'review.open',
  scopingReturnRefresh: 'scopingReturn.refresh',
  scopingReturnSubmit: 'scopingReturn.submit',
  meetingAccept: 'meeting.accept',
  meetingPick: 'meeting.pick',
  quorumConfirm: 'quorum.confirm',
  quorumNotQuorate: 'quorum.notQuorate',
  outcomeRecord: 'outcome.record',
  outcomeSignOff: 'outcome.signOff',
  directorySaveAgency: 'directory.saveAgency',
  directoryRemoveAgency: 'directory.removeAgency',
  directorySaveChairs: 'directory.saveChairs',
} as const;

export type CardVerb = (typeof cardVerbs)[keyof typeof cardVerbs];
