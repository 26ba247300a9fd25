// Package blockkit checks messages and views against Slack's published
// Block Kit limits. The fake Slack, the response_url and Socket Mode acks
// in tests and the console all run it, so a reply that Slack would refuse
// fails a test instead of failing in a workspace.
//
// Limits, from api.slack.com/reference/block-kit (blocks, block elements,
// composition objects) and /surfaces/modals:
//   - message 50 blocks, modal and Home tab 100;
//   - section text 3,000, fields 10 × 2,000; header 150 (plain_text);
//   - context 10 elements; actions 25 elements;
//   - block_id and action_id 255; button text 75, value 2,000, url 3,000;
//   - options 100, option text 75, option value 150;
//   - input label 2,000, hint 2,000, placeholder 150;
//   - modal title, submit and close 24; private_metadata 3,000;
//     callback_id 255; message text 40,000 and present on every post.
package blockkit

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/slack-go/slack"
)

// Published limits used by the builders as well as the checks.
const (
	MaxMessageBlocks = 50
	MaxViewBlocks    = 100
	MaxSectionText   = 3000
	MaxFieldText     = 2000
	MaxFields        = 10
	MaxHeaderText    = 150
	MaxButtonText    = 75
	MaxValue         = 2000
	MaxID            = 255
	MaxOptions       = 100
	MaxOptionText    = 75
	MaxOptionValue   = 150
	MaxContextElems  = 10
	MaxActionElems   = 25
	MaxLabel         = 2000
	MaxPlaceholder   = 150
	MaxViewTitle     = 24
	MaxMetadata      = 3000
	MaxMessageText   = 40000
)

type obj = map[string]any

// CheckMessage checks a message as chat.postMessage, chat.update,
// chat.postEphemeral or a response_url receives it: text and blocks (JSON
// array, may be empty). A post needs a fallback text when it has blocks.
func CheckMessage(text string, blocks json.RawMessage) error {
	if n := utf8.RuneCountInString(text); n > MaxMessageText {
		return fmt.Errorf("text is %d characters, over %d", n, MaxMessageText)
	}
	list, err := decodeBlocks(blocks)
	if err != nil {
		return err
	}
	if len(list) > 0 && text == "" {
		return fmt.Errorf("a message with blocks needs a fallback text for notifications")
	}
	if len(list) > MaxMessageBlocks {
		return fmt.Errorf("%d blocks, over the message limit of %d", len(list), MaxMessageBlocks)
	}
	return checkBlocks(list)
}

// CheckView checks a modal or Home tab view as views.open, views.update,
// views.push and views.publish receive it.
func CheckView(view json.RawMessage) error {
	var v obj
	if err := json.Unmarshal(view, &v); err != nil {
		return fmt.Errorf("view is not a JSON object: %w", err)
	}
	typ, _ := v["type"].(string)
	if typ != "modal" && typ != "home" {
		return fmt.Errorf("view type %q is neither modal nor home", typ)
	}
	raw, _ := json.Marshal(v["blocks"])
	list, err := decodeBlocks(raw)
	if err != nil {
		return err
	}
	if len(list) > MaxViewBlocks {
		return fmt.Errorf("%d blocks, over the view limit of %d", len(list), MaxViewBlocks)
	}
	if err := maxLen("private_metadata", str(v["private_metadata"]), MaxMetadata); err != nil {
		return err
	}
	if err := maxLen("callback_id", str(v["callback_id"]), MaxID); err != nil {
		return err
	}
	if typ == "modal" {
		if err := text(v["title"], "title", MaxViewTitle, true, true); err != nil {
			return err
		}
		for _, k := range []string{"submit", "close"} {
			if err := text(v[k], k, MaxViewTitle, false, true); err != nil {
				return err
			}
		}
		hasInput := false
		for _, b := range list {
			hasInput = hasInput || b["type"] == "input"
		}
		if hasInput && v["submit"] == nil {
			return fmt.Errorf("a modal with inputs needs a submit button")
		}
	}
	return checkBlocks(list)
}

func decodeBlocks(raw json.RawMessage) ([]obj, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var list []obj
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("blocks are not a JSON array of objects: %w", err)
	}
	return list, nil
}

func checkBlocks(list []obj) error {
	ids := map[string]bool{}
	for i, b := range list {
		if err := checkBlock(b); err != nil {
			return fmt.Errorf("block %d (%v): %w", i, b["type"], err)
		}
		if id := str(b["block_id"]); id != "" {
			if ids[id] {
				return fmt.Errorf("block %d: block_id %q used twice", i, id)
			}
			ids[id] = true
		}
	}
	return nil
}

func checkBlock(b obj) error {
	if err := maxLen("block_id", str(b["block_id"]), MaxID); err != nil {
		return err
	}
	switch b["type"] {
	case "section":
		if b["text"] == nil && b["fields"] == nil {
			return fmt.Errorf("a section needs text or fields")
		}
		if err := text(b["text"], "text", MaxSectionText, false, false); err != nil {
			return err
		}
		fields, _ := b["fields"].([]any)
		if len(fields) > MaxFields {
			return fmt.Errorf("%d fields, over %d", len(fields), MaxFields)
		}
		for _, f := range fields {
			if err := text(f, "field", MaxFieldText, true, false); err != nil {
				return err
			}
		}
		if acc, ok := b["accessory"].(obj); ok {
			return element(acc)
		}
	case "header":
		return text(b["text"], "header", MaxHeaderText, true, true)
	case "context":
		els, _ := b["elements"].([]any)
		if len(els) == 0 || len(els) > MaxContextElems {
			return fmt.Errorf("context has %d elements; 1 to %d allowed", len(els), MaxContextElems)
		}
		for _, e := range els {
			eo, _ := e.(obj)
			if t := eo["type"]; t == "mrkdwn" || t == "plain_text" {
				if err := text(eo, "context text", MaxSectionText, true, false); err != nil {
					return err
				}
			}
		}
	case "actions":
		els, _ := b["elements"].([]any)
		if len(els) == 0 || len(els) > MaxActionElems {
			return fmt.Errorf("actions has %d elements; 1 to %d allowed", len(els), MaxActionElems)
		}
		seen := map[string]bool{}
		for _, e := range els {
			eo, _ := e.(obj)
			if id := str(eo["action_id"]); id != "" {
				if seen[id] {
					return fmt.Errorf("action_id %q used twice in one block", id)
				}
				seen[id] = true
			}
			if err := element(eo); err != nil {
				return err
			}
		}
	case "input":
		if err := text(b["label"], "label", MaxLabel, true, true); err != nil {
			return err
		}
		if err := text(b["hint"], "hint", MaxLabel, false, true); err != nil {
			return err
		}
		el, ok := b["element"].(obj)
		if !ok {
			return fmt.Errorf("an input needs an element")
		}
		return element(el)
	case "divider", "image", "rich_text", "file", "video":
	default:
		return fmt.Errorf("unknown block type %v", b["type"])
	}
	return nil
}

func element(e obj) error {
	if err := maxLen("action_id", str(e["action_id"]), MaxID); err != nil {
		return err
	}
	if err := text(e["placeholder"], "placeholder", MaxPlaceholder, false, true); err != nil {
		return err
	}
	switch e["type"] {
	case "button":
		if err := text(e["text"], "button text", MaxButtonText, true, true); err != nil {
			return err
		}
		if err := maxLen("button value", str(e["value"]), MaxValue); err != nil {
			return err
		}
		return maxLen("button url", str(e["url"]), 3000)
	case "static_select", "multi_static_select", "radio_buttons", "checkboxes", "overflow":
		opts, _ := e["options"].([]any)
		if groups, ok := e["option_groups"].([]any); ok {
			for _, g := range groups {
				go_, _ := g.(obj)
				more, _ := go_["options"].([]any)
				opts = append(opts, more...)
			}
		}
		if len(opts) == 0 || len(opts) > MaxOptions {
			return fmt.Errorf("%v has %d options; 1 to %d allowed", e["type"], len(opts), MaxOptions)
		}
		for _, o := range opts {
			oo, _ := o.(obj)
			if err := text(oo["text"], "option text", MaxOptionText, true, false); err != nil {
				return err
			}
			if err := maxLen("option value", str(oo["value"]), MaxOptionValue); err != nil {
				return err
			}
		}
	case "plain_text_input":
		if n, ok := e["max_length"].(float64); ok && n > 3000 {
			return fmt.Errorf("plain_text_input max_length %v over 3000", n)
		}
	}
	return nil
}

// text checks a text object: present when required, plain_text when
// plain, not empty, at most max characters.
func text(v any, what string, max int, required, plain bool) error {
	if v == nil {
		if required {
			return fmt.Errorf("%s is missing", what)
		}
		return nil
	}
	t, ok := v.(obj)
	if !ok {
		return fmt.Errorf("%s is not a text object", what)
	}
	typ := str(t["type"])
	if typ != "plain_text" && typ != "mrkdwn" {
		return fmt.Errorf("%s has type %q", what, typ)
	}
	if plain && typ != "plain_text" {
		return fmt.Errorf("%s must be plain_text", what)
	}
	s := str(t["text"])
	if s == "" {
		return fmt.Errorf("%s is empty", what)
	}
	return maxLen(what, s, max)
}

func maxLen(what, s string, max int) error {
	if n := utf8.RuneCountInString(s); n > max {
		return fmt.Errorf("%s is %d characters, over %d", what, n, max)
	}
	return nil
}

func str(v any) string { s, _ := v.(string); return s }

// CheckReply checks blocks built in Go as a message with this fallback
// text.
func CheckReply(text string, blocks []slack.Block) error {
	raw, err := json.Marshal(blocks)
	if err != nil {
		return fmt.Errorf("encode blocks: %w", err)
	}
	return CheckMessage(text, raw)
}

// CheckModal checks a view built in Go.
func CheckModal(v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode view: %w", err)
	}
	return CheckView(raw)
}
