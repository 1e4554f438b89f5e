package board

import (
	"context"
	"strings"
	"unicode/utf8"

	"cockpit/backend/people"
	"cockpit/backend/store"
)

// SavedView is a person's named filter and grouping.
type SavedView = store.SavedView

// MaxViewName bounds a saved view's name (it is a tab label).
const MaxViewName = 60

// SaveView stores (or replaces, by name) one of who's views.
func (s *Service) SaveView(ctx context.Context, who people.User, name string, q Query) (SavedView, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > MaxViewName {
		return SavedView{}, invalidf("a view needs a name of 1-%d characters", MaxViewName)
	}
	if who.Username == "" {
		return SavedView{}, invalidf("no signed-in person to own the view")
	}
	q, err := q.Normalize()
	if err != nil {
		return SavedView{}, err
	}
	return s.Store.SaveView(ctx, SavedView{Owner: who.Username, Name: name, Filter: q.Filter, GroupBy: q.GroupBy}, s.Clock.Now())
}

// Views lists who's saved views by name.
func (s *Service) Views(ctx context.Context, who people.User) ([]SavedView, error) {
	return s.Store.SavedViews(ctx, who.Username)
}

// DeleteView removes one of who's views.
func (s *Service) DeleteView(ctx context.Context, who people.User, id int64) error {
	return s.Store.DeleteView(ctx, who.Username, id)
}
