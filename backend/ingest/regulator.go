package ingest

import (
	"cmp"
	"context"
	"fmt"

	"cockpit/backend/cases"
	"cockpit/backend/store"
)

// MarkFolderRegulator is for a folder that has just become a regulator folder: the cases its mail
// already went into become regulator matters, with the work-order number and reply deadline that mail
// states, as if it had arrived in a regulator folder, and the case engine runs their regulator clocks.
// A folder set to regulator after its first sync (picked with the wrong role, or a letter that landed in
// the complaints inbox and was filed away) would otherwise hide a statutory deadline among ordinary
// complaints. The reverse is not done: a regulator matter stays one until a person decides otherwise.
// It returns how many cases it marked; actor is who changed the role.
func (p *Pipeline) MarkFolderRegulator(ctx context.Context, sourceID int64, folder, actor string) (int, error) {
	msgs, err := p.Store.FolderMessages(ctx, sourceID, folder)
	if err != nil {
		return 0, err
	}
	// One mark per case, with the first number and deadline its mail states, oldest first.
	var marks []store.RegulatorMark
	at := map[int64]int{}
	for _, m := range msgs {
		reg := cases.ExtractRegulator(m.Subject+"\n"+m.Text, p.zone())
		i, ok := at[m.CaseID]
		if !ok {
			at[m.CaseID] = len(marks)
			marks = append(marks, store.RegulatorMark{CaseID: m.CaseID, WorkOrderNo: reg.WorkOrderNo, StatedDeadline: reg.Deadline})
			continue
		}
		marks[i].WorkOrderNo = cmp.Or(marks[i].WorkOrderNo, reg.WorkOrderNo)
		if marks[i].StatedDeadline.IsZero() {
			marks[i].StatedDeadline = reg.Deadline
		}
	}
	marked, err := p.Store.MarkRegulatorMatters(ctx, marks, folder, actor, p.now())
	if err != nil {
		return 0, fmt.Errorf("folder %s now regulator: %w", folder, err)
	}
	if p.OnCaseChanged != nil {
		for _, id := range marked {
			p.OnCaseChanged(ctx, id)
		}
	}
	return len(marked), nil
}
