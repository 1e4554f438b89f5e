package app

import (
	"context"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// Emitter sends events to the frontend; names are `noun:verb[:id]`.
type Emitter interface {
	Emit(name string, payload any)
}

type wailsEmitter struct{ ctx context.Context }

func (w wailsEmitter) Emit(name string, payload any) { runtime.EventsEmit(w.ctx, name, payload) }

// nopEmitter is used before the window exists and in tests of the bound services.
type nopEmitter struct{}

func (nopEmitter) Emit(string, any) {}
