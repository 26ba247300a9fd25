package stock

import (
	"context"
	"strconv"

	"github.com/slack-go/slack"

	"opsbot/chat"
	"opsbot/handlers/command"
)

// editMeta travels in the edit modal's private metadata.
type editMeta struct {
	Sheet uint64 `json:"s"`
}

// Interact answers the sheet's Approve and Edit buttons and the edit modal.
func (f *Feature) Interact(ctx context.Context, in chat.Interaction) chat.Outcome {
	switch {
	case in.Kind == chat.KindAction && in.ActionID == ActionApprove:
		id, no := f.sheetButton(ctx, in)
		if no != nil {
			return chat.Outcome{Ephemeral: no}
		}
		reply := f.approve(ctx, in.UserID, id, in.At)
		return chat.Outcome{Ephemeral: &reply}
	case in.Kind == chat.KindAction && in.ActionID == ActionEditLine:
		id, no := f.sheetButton(ctx, in)
		if no != nil {
			return chat.Outcome{Ephemeral: no}
		}
		if !f.Cfg.IsManager(in.UserID) {
			reply := chat.Error(f.Tr.T("stock.err_not_manager"))
			return chat.Outcome{Ephemeral: &reply}
		}
		v := f.editModal(in.UserID, id)
		return chat.Outcome{OpenModal: &v}
	case in.Kind == chat.KindAction && (in.ActionID == ActionImportConfirm || in.ActionID == ActionImportCancel):
		reply := f.importButton(ctx, in)
		return chat.Outcome{Ephemeral: &reply}
	case in.Kind == chat.KindSubmission && in.CallbackID == CallbackEdit:
		// The metadata is sealed for the person the form was opened for,
		// so a forged submission cannot name another sheet.
		var meta editMeta
		if !f.Unseal(in.UserID, in.Metadata, &meta) || meta.Sheet == 0 {
			return chat.Outcome{FieldErrors: map[string]string{blockEditSKU: f.Tr.T("err.internal")}}
		}
		if problems := f.editLine(ctx, in.UserID, meta.Sheet, in.Values[blockEditSKU], in.Values[blockEditQty], in.At); len(problems) > 0 {
			return chat.Outcome{FieldErrors: problems}
		}
		return chat.Outcome{}
	}
	return chat.Outcome{}
}

// sheetButton is the sheet a sheet's Approve or Edit button names, when
// the click came from the message the bot posted for that sheet (the
// outbox recorded where); otherwise the reply that refuses it, with the
// command to use instead.
func (f *Feature) sheetButton(ctx context.Context, in chat.Interaction) (uint64, *chat.Reply) {
	id, err := strconv.ParseUint(in.Value, 10, 63)
	if err != nil || id == 0 {
		return 0, command.Ptr(chat.Error(f.Tr.T("access.err_provenance")))
	}
	posted, err := command.PostedAt(ctx, f.st, in, sheetRefPrefix+strconv.FormatUint(id, 10))
	if err != nil {
		f.Log.Error("check a sheet button's message", "sheet", id, "err", err)
		return 0, command.Ptr(chat.Error(f.Tr.T("err.internal")))
	}
	if !posted {
		f.Log.Warn("refused a sheet button not on the sheet's message", "sheet", id, "user", in.UserID, "channel", in.ChannelID, "ts", in.MessageTS)
		return 0, command.Ptr(chat.Error(f.Tr.T("access.err_provenance") + "\n" + f.Tr.T("stock.sheet_commands", strconv.FormatUint(id, 10))))
	}
	return id, nil
}

// importButton answers an import preview's Import and Cancel buttons:
// only with the value the bot sealed for that import, by its importer or
// a manager.
func (f *Feature) importButton(ctx context.Context, in chat.Interaction) chat.Reply {
	id, ok := f.UnsealRef(importKind, in.Value)
	if !ok {
		hint := f.Tr.T("stock.err_import_ref", chat.Escape(chat.Truncate(in.Value, 20)))
		if claimed, ok := command.ClaimedRef(in.Value); ok {
			hint = f.Tr.T("stock.import_commands", strconv.FormatUint(claimed, 10))
		}
		f.Log.Warn("refused a stock import button whose value the bot did not seal", "user", in.UserID, "channel", in.ChannelID, "value", chat.Truncate(in.Value, 80))
		return chat.Error(f.Tr.T("access.err_provenance") + "\n" + hint)
	}
	ref := strconv.FormatUint(id, 10)
	var reply chat.Reply
	if in.ActionID == ActionImportConfirm {
		reply = f.confirmImport(ctx, in.UserID, ref, chat.Command{Name: "/stock", UserID: in.UserID, At: in.At})
	} else {
		reply = f.cancelImport(ctx, in.UserID, ref, in.At)
	}
	reply.Ephemeral = true
	return reply
}

// editModal asks for an SKU of the sheet and its new quantity.
func (f *Feature) editModal(user string, sheet uint64) slack.ModalViewRequest {
	meta := f.Seal(user, editMeta{Sheet: sheet})
	sku := slack.NewPlainTextInputBlockElement(chat.PlainText(f.Tr.T("stock.modal_sku_hint")), "value")
	qty := slack.NewPlainTextInputBlockElement(chat.PlainText(f.Tr.T("stock.modal_qty_hint")), "value")
	return chat.Modal(CallbackEdit, f.Tr.T("stock.modal_title", sheet), f.Tr.T("stock.modal_submit"), f.Tr.T("stock.btn_cancel"), meta, []slack.Block{
		slack.NewInputBlock(blockEditSKU, chat.PlainText(f.Tr.T("stock.col_sku")), nil, sku),
		slack.NewInputBlock(blockEditQty, chat.PlainText(f.Tr.T("stock.col_order")), nil, qty),
	})
}
