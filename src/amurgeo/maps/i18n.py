"""Words on the map in English, Russian and Chinese (``amurgeo map --lang``).

Plain text only: :mod:`amurgeo.maps` escapes every string before it reaches the page.
"""

# Russian and Chinese text is the point of this module: Cyrillic letters and full-width
# punctuation are meant.
# ruff: noqa: RUF001

from __future__ import annotations

import math

from amurgeo import catalog

#: Languages a map can be labelled in: those the catalog titles its layers in.
LANGS: tuple[str, ...] = catalog.LANGS

_TEXT: dict[str, tuple[str, str, str]] = {
    # (en, ru, zh)
    "title": (
        "Amur leopard and Amur tiger: where they are protected",
        "Дальневосточный леопард и амурский тигр: охраняемые территории",
        "东北豹与东北虎：保护地",
    ),
    "title_tiger": (
        "Amur tiger: its range and protected areas in Russia and China",
        "Амурский тигр: ареал и охраняемые территории в России и Китае",
        "东北虎：在俄罗斯和中国的分布区与保护地",
    ),
    "title_gaps": (
        "Amur leopard range: the parts outside protected areas",
        "Ареал дальневосточного леопарда: части вне охраняемых территорий",
        "东北豹分布区：保护地以外的部分",
    ),
    "title_more": (
        "{names} and {more} more",
        "{names} и ещё {more}",
        "{names}等另外 {more} 个图层",
    ),
    "list_separator": (", ", ", ", "、"),
    "period_sample": (
        "({shown} of {total} drawn: a fixed sample)",
        "(показано {shown} из {total}: постоянная выборка)",
        "（显示 {total} 条中的 {shown} 条：固定抽样）",
    ),
    "note": (
        "Land of the Leopard follows OpenStreetMap; the other boundaries are approximate, "
        "drawn by hand from published extents and place names, not official boundary files. "
        "Not for legal or navigation use.",
        "«Земля леопарда» — по данным OpenStreetMap; остальные границы приблизительные: "
        "нарисованы вручную по опубликованным описаниям и населённым пунктам, это не "
        "официальные границы. Не для юридического использования и навигации.",
        "豹之乡国家公园边界取自OpenStreetMap；其余边界为近似边界：根据已公布的范围和地名手工绘制，"
        "并非官方边界数据。不可用于法律或导航用途。",
    ),
    "sources": ("Sources", "Источники", "资料来源"),
    "legend": ("Legend", "Легенда", "图例"),
    "base_maps": ("Base maps", "Подложки", "底图"),
    "group_protected": ("Protected areas", "Охраняемые территории", "保护地"),
    "group_range": ("Amur leopard range", "Ареал леопарда", "东北豹分布区"),
    "group_range_tiger": ("Amur tiger range", "Ареал амурского тигра", "东北虎分布区"),
    "group_range_mixed": ("Ranges", "Ареалы", "分布区"),
    "group_analysis": ("Overlaps and gaps", "Перекрытия и пробелы", "重叠与空缺"),
    "group_activities": ("Conservation work", "Природоохранная работа", "保护工作"),
    "group_user": ("Your layers", "Ваши слои", "您的图层"),
    "group_reference": ("Reference", "Справочные слои", "参考图层"),
    "basemap_street": (
        "Street map (OpenStreetMap)",
        "Карта (OpenStreetMap)",
        "街道地图 (OpenStreetMap)",
    ),
    "basemap_satellite": (
        "Satellite imagery (Esri)",
        "Космоснимки (Esri)",
        "卫星影像 (Esri)",
    ),
    "basemap_topographic": (
        "Topographic (OpenTopoMap)",
        "Топографическая (OpenTopoMap)",
        "地形图 (OpenTopoMap)",
    ),
    "basemap_offline": (
        "Borders and coast only (works offline)",
        "Только границы и берег (без интернета)",
        "仅国界与海岸线（离线可用）",
    ),
    "needs_internet": ("needs internet", "нужен интернет", "需要联网"),
    "search": ("Search by name…", "Поиск по названию…", "按名称搜索…"),
    "search_none": ("Nothing found", "Ничего не найдено", "未找到"),
    "search_all": (
        "{name}: all {n} places",
        "{name}: все места ({n})",
        "{name}：全部 {n} 处",
    ),
    "cancel": ("Cancel", "Отмена", "取消"),
    "here": ("{n} layers here", "Здесь слоёв: {n}", "此处有 {n} 个图层"),
    "about": ("About this map", "Об этой карте", "关于本图"),
    "offline_notice": (
        "This map loads its map library from the internet, and there is no connection. "
        "For a map that works offline, run: amurgeo map --self-contained",
        "Эта карта загружает картографическую библиотеку из интернета, а соединения нет. "
        "Карта, которая работает без интернета: amurgeo map --self-contained",
        "本图需要从互联网加载地图程序库，但当前没有网络连接。"
        "如需离线可用的地图，请运行：amurgeo map --self-contained",
    ),
    "all_organizations": ("All organizations", "Все организации", "所有机构"),
    "all_activities": ("All activities", "Все виды работ", "所有工作类型"),
    "filter": ("Show", "Показать", "显示"),
    "fullscreen": ("Full screen", "Во весь экран", "全屏"),
    "fullscreen_exit": ("Exit full screen", "Выйти из полноэкранного режима", "退出全屏"),
    # popup fields
    "designation": ("Designation", "Статус", "类型"),
    "country": ("Country", "Страна", "国家"),
    "established": ("Established", "Создан", "设立年份"),
    "reported_area": ("Reported area", "Площадь по данным", "公布面积"),
    "computed_area": ("Computed area", "Вычисленная площадь", "计算面积"),
    "likely_range": ("likely between", "вероятно от", "可能介于"),
    "and": ("and", "до", "至"),
    "boundary_uncertainty": (
        "boundary uncertain by ±{km} km",
        "неточность границы ±{km} км",
        "边界误差 ±{km} 公里",
    ),
    "managed_by": ("Managed by", "Управление", "管理机构"),
    "source": ("Source", "Источник", "来源"),
    "area_source": ("Area source", "Источник площади", "面积来源"),
    "notes": ("Notes", "Примечания", "备注"),
    "presence": ("Presence", "Присутствие", "分布状况"),
    "presence_confirmed": ("confirmed", "подтверждено", "已确认"),
    "presence_unconfirmed": ("unconfirmed", "не подтверждено", "未确认"),
    "organization": ("Organization", "Организация", "机构"),
    "activity": ("Activity", "Вид работы", "工作类型"),
    "place": ("Place", "Место", "地点"),
    "location_precision": ("Location", "Точность места", "位置精度"),
    "precision_site": ("field site", "место работы", "现场地点"),
    "precision_district": ("district (approximate)", "район (приблизительно)", "所在区县（近似）"),
    "precision_office": ("office", "офис", "办公室"),
    "since": ("Since", "С", "开始年份"),
    "description": ("What", "Что", "内容"),
    "overlap_title": ("Overlap", "Перекрытие", "重叠"),
    "overlap_of": ("{a} and {b}", "{a} и {b}", "{a}与{b}"),
    "overlap_area": ("Shared area", "Общая площадь", "重叠面积"),
    "share_of": ("Share of {name}", "Доля от «{name}»", "占{name}的比例"),
    "gap_title": ("Outside protected areas", "Вне охраняемых территорий", "保护地以外"),
    "gap_area": ("Area outside protection", "Площадь вне охраны", "未受保护面积"),
    "gap_share": ("Share of the range", "Доля ареала", "占分布区比例"),
    "gap_by": ("Protected areas counted", "Учтённые территории", "计入的保护地"),
    "layer_overlaps": (
        "Protected areas that overlap",
        "Перекрытия охраняемых территорий",
        "保护地重叠部分",
    ),
    # with the reader's own areas (survey blocks ...), which are not protected areas
    "layer_area_overlaps": (
        "Where areas overlap",
        "Перекрытия территорий",
        "区域重叠部分",
    ),
    "layer_gaps": (
        "Leopard range outside protection",
        "Ареал леопарда вне охраны",
        "保护地以外的豹分布区",
    ),
    "layer_gaps_tiger": (
        "Tiger range outside protection",
        "Ареал тигра вне охраны",
        "保护地以外的虎分布区",
    ),
    "layer_gaps_mixed": (
        "Range outside protection",
        "Ареал вне охраны",
        "保护地以外的分布区",
    ),
    "legend_tiger_confirmed": (
        "Amur tiger range",
        "Ареал амурского тигра",
        "东北虎分布区",
    ),
    "legend_confirmed": ("range (confirmed)", "ареал (подтверждён)", "分布区（已确认）"),
    "legend_unconfirmed": ("range (unconfirmed)", "ареал (не подтверждён)", "分布区（未确认）"),
    "feature": ("feature", "объект", "要素"),
    "ha": ("ha", "га", "公顷"),
    "km2": ("km²", "км²", "平方公里"),
}

#: Designations of the bundled areas (``designation`` in ``geodata/sources/areas.csv``), as
#: the popups show them; other designations (WDPA's, users') are shown as they are written.
_DESIGNATIONS: dict[str, tuple[str, str, str]] = {
    "National Park": ("National Park", "Национальный парк", "国家公园"),
    # a Russian zapovednik: «государственный природный заповедник» in its own law (33-FZ)
    "State Nature Reserve (Zapovednik)": (
        "State Nature Reserve (Zapovednik)",
        "Государственный природный заповедник",
        "国家自然保护区（俄罗斯）",
    ),
    # a Chinese 国家级自然保护区, the class Hunchun reserve belongs to
    "National Nature Reserve": (
        "National Nature Reserve",
        "Национальный природный заповедник",
        "国家级自然保护区",
    ),
    "Species range": ("Species range", "Ареал вида", "物种分布区"),
}

#: Activity types (:data:`amurgeo.schema.ACTIVITY_TYPES`): label per language.
_ACTIVITIES: dict[str, tuple[str, str, str]] = {
    "monitoring": ("monitoring", "мониторинг", "监测"),
    "research": ("research", "исследования", "科研"),
    "anti-poaching": ("anti-poaching", "борьба с браконьерством", "反盗猎"),
    "fire-fighting": ("fire-fighting", "борьба с пожарами", "防火灭火"),
    "education": ("education", "просвещение", "宣传教育"),
    "veterinary": ("veterinary care", "ветеринария", "兽医救护"),
    "policy": ("policy", "политика и законы", "政策"),
    "habitat-protection": ("habitat protection", "охрана местообитаний", "栖息地保护"),
    "reintroduction": ("reintroduction", "реинтродукция", "重引入"),
    "community": ("local communities", "местные сообщества", "社区工作"),
    "funding": ("funding", "финансирование", "资助"),
}

_COUNTRIES: dict[str, tuple[str, str, str]] = {
    "RUS": ("Russia", "Россия", "俄罗斯"),
    "CHN": ("China", "Китай", "中国"),
    "PRK": ("North Korea", "КНДР", "朝鲜"),
}


def check_lang(lang: str) -> str:
    """Return `lang` in lower case, or raise ValueError naming the languages there are."""
    code = str(lang).strip().lower()
    if code not in LANGS:
        raise ValueError(f"lang {lang!r} is not one of {', '.join(LANGS)}")
    return code


def text(key: str, lang: str, **values: str) -> str:
    """Return the label `key` in `lang`, with ``{name}`` fields filled from `values`.

    Examples
    --------
    >>> text("legend", "ru")
    'Легенда'
    >>> text("share_of", "en", name="Hunchun")
    'Share of Hunchun'
    """
    words = _TEXT[key][LANGS.index(lang)]
    return words.format(**values) if values else words


def layer_title(layer_id: str, lang: str) -> str | None:
    """Return the title of bundled layer `layer_id` in `lang` (None for other layers).

    The titles live in the catalog (:func:`amurgeo.catalog.layer_title`), written once.
    """
    return catalog.layer_title(layer_id, lang)


def designation_label(designation: str, lang: str) -> str:
    """Return a bundled area's designation in `lang` (any other designation as it is).

    Examples
    --------
    >>> designation_label("National Park", "zh")
    '国家公园'
    >>> designation_label("Wildlife Refuge", "ru")
    'Wildlife Refuge'
    """
    labels = _DESIGNATIONS.get(designation)
    return designation if labels is None else labels[LANGS.index(lang)]


def activity_label(activity: str, lang: str) -> str:
    """Return the label of an activity type in `lang` (the value itself if unknown)."""
    labels = _ACTIVITIES.get(activity)
    return activity if labels is None else labels[LANGS.index(lang)]


def country_label(iso3: str, lang: str) -> str:
    """Return the name of a country (ISO 3166 alpha-3) in `lang` (the code if unknown)."""
    labels = _COUNTRIES.get(str(iso3).upper())
    return str(iso3) if labels is None else labels[LANGS.index(lang)]


def number(value: float, lang: str, decimals: int = 0) -> str:
    """Format `value` with the thousands separator of `lang`.

    Examples
    --------
    >>> number(279913.6, "en"), number(279913.6, "ru"), number(2.5, "ru", 1)
    ('279,914', '279\\u202f914', '2,5')
    """
    if value is None or not math.isfinite(value):
        return "–"
    formatted = f"{value:,.{decimals}f}"
    if lang == "ru":
        formatted = formatted.replace(",", "\u202f").replace(".", ",")
    return formatted
