package companion

import (
	"fmt"
	"os"
	"strings"
)

// Lang is the language of the tray's menu and notifications.
type Lang int

const (
	English Lang = iota
	Chinese
)

// LangFromEnv follows the desktop's locale: zh_* gets Chinese, anything else English.
func LangFromEnv() Lang {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := os.Getenv(k); v != "" {
			if strings.HasPrefix(strings.ToLower(v), "zh") {
				return Chinese
			}
			return English
		}
	}
	return English
}

// messages holds every string the tray shows, English first.
var messages = map[string][2]string{
	"title":         {"Cockpit", "Cockpit 投诉驾驶舱"},
	"breached":      {"Clocks breached: %d", "已超时：%d"},
	"dueSoon":       {"Due within %s: %d", "%s内到期：%d"},
	"incidents":     {"Open incidents: %d", "未结群体事件：%d"},
	"redHeader":     {"Red alerts", "红色预警"},
	"mineHeader":    {"My clocks", "我的时限"},
	"openCockpit":   {"Open Cockpit", "打开 Cockpit"},
	"incidentItem":  {"Incident: %s", "群体事件：%s"},
	"caseItem":      {"#%d %s", "#%d %s"},
	"clockDue":      {"#%d %s (due %s)", "#%d %s（%s 到期）"},
	"clockLate":     {"#%d %s (breached %s)", "#%d %s（%s 已超时）"},
	"cannotRead":    {"Cannot read the workspace: %s", "无法读取工作区：%s"},
	"updated":       {"Updated %s", "更新于 %s"},
	"noTray":        {"No system tray here: Cockpit keeps sending notifications and shows this window instead.", "此桌面没有系统托盘：Cockpit 仍会发送通知，并以此窗口代替托盘菜单。"},
	"nRedSummary":   {"%d red alerts open, %d clocks breached", "%d 条红色预警未处理，%d 个时限已超时"},
	"newRed":        {"Red alert", "红色预警"},
	"clockSoon":     {"Clock about to breach", "时限即将超时"},
	"clockBreached": {"Clock breached", "时限已超时"},
	"quit":          {"Quit", "退出"},
	"launchFailed":  {"Could not start Cockpit: %s", "无法启动 Cockpit：%s"},
}

func (l Lang) t(key string, args ...any) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	if len(args) == 0 {
		return m[l]
	}
	return fmt.Sprintf(m[l], args...)
}
