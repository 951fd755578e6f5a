"""Whole saved web pages around a report: the article (a corpus page's body, or a gold report
rendered by tests/layouts.py) put inside the site a government portal wraps it in — a header
with banner images, navigation with icons and many links, a breadcrumb, the 信息公开 metadata
table, a sidebar, the article's title and 发布时间 line, share and previous/next bars, related
links, a footer with its badges, scripts, styles, hidden menus and meta tags — in several
shapes (div layout, HTML5 landmarks, nested layout tables), as .html or as .mht.

``Chrome`` holds the knobs; ``wrap(article, chrome)`` gives the page's bytes. Nothing here is
known to the reader: the class names and ids of the site are drawn at random by the tests, and
the chrome carries the traps real sites do (last year's report in the related links, ordinals
in the menus, dates in the top bar, Chinese in scripts).
"""
from __future__ import annotations

import base64
import html as html_escape
import re
from dataclasses import dataclass
from datetime import date
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.mime.text import MIMEText
from typing import Optional
import layouts as L
from readers_support import CORPUS, corpus_bytes, gold


@dataclass(frozen=True)
class Article:
    """A report as its publisher's CMS holds it: the HTML of its body and its title."""

    name: str
    title: str
    body: str
    # the title printed at the top of the body (<h1> lines), which a site may lift out into its
    # own article-title element
    title_html: str = ""
    # the day the page was published, when the article is a page that was (its page says so
    # whatever site it is shown in)
    published: Optional[date] = None


@dataclass(frozen=True)
class Chrome:
    """How the site around the article is built.

    ``shape``: "divs" (div.header, div.nav, div.main with a sidebar, div.footer), "html5"
    (header, nav, main, article, aside, footer), "tables" (the whole page laid out in nested
    tables, as older portals are). ``names``: class names/ids the site uses (drawn at random).
    ``title``: where the article's title stands — "body" (left inside the article), "h1" (lifted
    into an <h1> above the article), "div" (into a div whose class names a title), "page" (only
    in <title> and the meta tags). ``date_label``: the info line's label (发布时间, 发布日期,
    时间) or "" for no info line. ``meta``: ArticleTitle/PubDate meta tags. ``sidebar``: "none",
    "links", "text" (links and a paragraph of notices), "ordinals" (menu items numbered 一、二、).
    "guide" (a 公开指南 box whose paragraphs are numbered 一、二、三、 like part headings).
    ``info_table``: the 信息公开 metadata table (索引号, 发布机构, 发布日期…) above the article.
    ``extras``: what the CMS adds inside the article's own box, after the report: "attachment"
    (附件: a link to the PDF), "qr" (扫一扫 with a QR code picture)."""

    shape: str = "divs"
    names: tuple[str, ...] = ("content", "main", "side", "head", "foot", "nav")
    title: str = "h1"
    date_label: str = "发布时间"
    published: date = date(2025, 1, 20)
    meta: bool = True
    banner: str = "plain"  # "plain" <img>, "sized" <img width height>, "logo" (alt text), "linked"
    nav_links: int = 12
    nav_icons: bool = True
    breadcrumb: bool = True
    info_table: bool = False
    sidebar: str = "links"
    share: bool = True
    related: int = 6
    footer_tag: bool = False  # <footer> rather than a div
    scripts: bool = True
    hidden_menu: bool = True
    extras: tuple[str, ...] = ()


def _esc(text: str) -> str:
    return html_escape.escape(text, quote=True)


def _links(count: int, words: str, icons: bool = False, numbered: bool = False) -> str:
    items = []
    for n in range(count):
        icon = f'<img src="/images/icon{n}.png">' if icons else ""
        label = f"{L.ORDINALS[n % 6]}、" if numbered else ""
        items.append(f'<li><a href="/c{n}/index.html">{icon}{label}{words}{n + 1}</a></li>')
    return "<ul>" + "".join(items) + "</ul>"


def _related(count: int, title: str) -> str:
    year = re.search(r"(20\d\d)", title)
    previous = title.replace(year.group(1), str(int(year.group(1)) - 1)) if year else "上一年度政府信息公开工作年度报告"
    items = [f'<li><a href="/xxgk/ndbg/{n}.html">{_esc(previous if n == 0 else f"关于印发第{n}批政务公开重点工作任务的通知")}</a>'
             f"<span>2024-0{n % 9 + 1}-1{n % 9}</span></li>" for n in range(count)]
    return "<h3>相关文章</h3><ul>" + "".join(items) + "</ul>" if count else ""


def wrap(article: Article, chrome: Chrome) -> bytes:
    n = chrome.names
    day = article.published or chrome.published
    banner = {
        "plain": '<img src="/images/banner.jpg">',
        "sized": '<img src="/images/banner.jpg" width="1200" height="180">',
        "logo": '<img src="/images/logo.png" alt="某某县人民政府门户网站">',
        "linked": '<a href="/"><img src="/images/top.jpg"></a>',
    }[chrome.banner]
    top = (f'<div class="{n[3]}-bar">今天是{day.year}年{day.month}月{day.day}日 星期一 '
           '<a href="/wza">无障碍浏览</a> <a href="/zz">长者模式</a> <a href="/en">English</a></div>'
           f'<div class="{n[3]}-logo">{banner}</div>'
           '<form class="search"><input type="text" value="请输入关键字"><button>搜索</button></form>')
    nav = _links(chrome.nav_links, "栏目", chrome.nav_icons)
    crumb = ('<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; '
             '<a href="/zwgk/ndbg">政府信息公开年报</a></div>') if chrome.breadcrumb else ""
    info_table = ("<table class='xxgk'><tr><td>索引号：</td><td>000000000/2025-00001</td><td>主题分类：</td>"
                  "<td>政务公开</td></tr><tr><td>发布机构：</td><td>某某县人民政府办公室</td><td>发布日期：</td>"
                  f"<td>{day.isoformat()}</td></tr><tr><td>名称：</td><td colspan='3'>{_esc(article.title)}</td></tr>"
                  "</table>") if chrome.info_table else ""
    heading = {"h1": f"<h1>{_esc(article.title)}</h1>",
               "div": f'<div class="{n[0]}-title">{_esc(article.title)}</div>'}.get(chrome.title, "")
    info = (f'<div class="{n[0]}-info">{chrome.date_label}：{day.isoformat()} 10:3{day.day % 10} '
            '来源：某某县人民政府办公室 浏览次数：1024 【字体：<a href="#">大</a> <a href="#">中</a> '
            '<a href="#">小</a>】 <a href="javascript:print()">打印</a></div>') if chrome.date_label else ""
    body = article.body if chrome.title == "body" else article.body.replace(article.title_html, "", 1)
    share = ('<div class="share">分享到：<a href="#"><img src="/images/wx.png" width="24" height="24"></a>'
             '<a href="#"><img src="/images/wb.png" width="24" height="24"></a></div>'
             '<div class="pn">上一篇：<a href="/p.html">关于2024年度政务公开工作考核结果的通报</a><br>'
             '下一篇：<a href="/n.html">某某县人民政府关于调整部分行政许可事项的决定</a></div>'
             '<div class="close"><a href="javascript:window.close()">关闭窗口</a></div>') if chrome.share else ""
    extras = {"attachment": f'<p>附件：<a href="/att/1.pdf">{_esc(article.title)}.pdf</a></p>',
              "qr": '<div><img src="/images/qr.png" width="120" height="120"><p>扫一扫在手机打开当前页</p></div>'}
    content = f'<div class="{n[0]}" id="{n[0]}-{n[1]}">{body}{"".join(extras[e] for e in chrome.extras)}</div>'
    article_block = f"{heading}{info}{content}{share}{_related(chrome.related, article.title)}"
    sidebar = {
        "none": "",
        "links": f'<div class="{n[2]}"><h3>政府信息公开</h3>{_links(15, "公开目录")}'
                 '<img src="/images/qrcode.png" alt="扫码关注"></div>',
        "text": f'<div class="{n[2]}"><h3>通知公告</h3>{_links(8, "公告")}<p>依申请公开受理机构：某某县人民政府办公室，'
                "办公地址：某某县人民路1号，邮政编码：000000，联系电话：0000-1234567，传真：0000-1234568，"
                "受理时间：工作日上午8:30—12:00，下午14:30—17:30，法定节假日除外。</p></div>",
        "ordinals": f'<div class="{n[2]}"><h3>公开指南</h3>{_links(6, "公开事项", numbered=True)}</div>',
        "guide": f'<div class="{n[2]}"><h3>公开指南</h3><p>一、主动公开：通过政府网站、政务新媒体发布。</p>'
                 "<p>二、依申请公开：通过网络、信函、当面提交申请。</p><p>三、监督方式：向上级机关投诉举报。</p></div>",
    }[chrome.sidebar]
    footer_inner = ('<p>主办单位：某某县人民政府办公室　承办单位：某某县大数据中心</p>'
                    '<p>网站标识码：0000000000　<a href="https://beian.miit.gov.cn">某ICP备00000000号-1</a>　'
                    '<img src="/images/ga.png" width="20" height="20">某公网安备 00000000000000号</p>'
                    '<p>地址：某某县人民路1号　联系电话：0000-1234567　建议使用1280×720以上分辨率浏览</p>'
                    '<a href="http://bszs.conac.cn"><img src="/images/conac.png"></a>'
                    '<img src="/images/jiucuo.png" alt="政府网站找错">')
    footer = (f"<footer>{footer_inner}</footer>" if chrome.footer_tag
              else f'<div class="{n[4]}">{footer_inner}</div>')
    hidden = (f'<div class="m-menu" style="display:none">{_links(5, "手机栏目")}'
              "<p>一、总体情况</p><p>2019年政府信息公开工作年度报告</p></div>") if chrome.hidden_menu else ""
    scripts = ("<script>var title = '一、总体情况'; document.write('<p>二、主动公开政府信息情况</p>');</script>"
               '<script type="application/ld+json">{"name": "政府信息公开工作年度报告", "datePublished": "2020-01-01"}'
               "</script>") if chrome.scripts else ""

    if chrome.shape == "html5":
        page_body = (f"<header>{top}<nav>{nav}</nav></header>{crumb}<main>{info_table}"
                     f"<article>{article_block}</article><aside>{sidebar}</aside></main>{footer}")
    elif chrome.shape == "tables":
        page_body = (f'<table width="100%" border="0"><tr><td>{top}</td></tr><tr><td>{nav}</td></tr>'
                     f'<tr><td>{crumb}</td></tr><tr><td><table width="1000" border="0"><tr>'
                     f'<td width="240" valign="top">{sidebar}</td><td valign="top">{info_table}'
                     f"{article_block}</td></tr></table></td></tr><tr><td>{footer}</td></tr></table>")
    else:
        page_body = (f'<div class="{n[3]}">{top}<div class="{n[5]}">{nav}</div></div>{crumb}'
                     f'<div class="{n[1]}"><div class="{n[2]}-wrap">{sidebar}</div>'
                     f'<div class="{n[0]}-wrap">{info_table}{article_block}</div></div>{footer}')
    metas = ""
    if chrome.meta:
        metas = (f'<meta name="ArticleTitle" content="{_esc(article.title)}">'
                 f'<meta name="PubDate" content="{day.isoformat()} 10:30">'
                 '<meta name="ContentSource" content="某某县人民政府办公室">'
                 '<meta name="keywords" content="政府信息公开,年度报告,一、总体情况">')
    head = ('<meta charset="utf-8"><meta name="viewport" content="width=device-width">'
            f"<title>{_esc(article.title)}_政府信息公开年报_某某县人民政府</title>{metas}"
            '<link rel="stylesheet" href="/css/style.css">'
            "<style>.nav li{float:left} .footer{color:#666} body{font-family:'微软雅黑'}</style>"
            + ("<script src='/js/jquery.min.js'></script>" if chrome.scripts else ""))
    return (f"<!DOCTYPE html><html><head>{head}</head><body>{hidden}{page_body}{scripts}</body></html>"
            ).encode("utf-8")


def as_mhtml(page: bytes, transfer: str = "quoted-printable") -> bytes:
    """The page as a browser saves it in one file: the HTML part, then its images and style."""
    message = MIMEMultipart("related", type="text/html")
    message["Subject"] = "=?utf-8?B?" + base64.b64encode("政府信息公开年报".encode()).decode() + "?="
    message["Snapshot-Content-Location"] = "http://www.example.gov.cn/zwgk/ndbg/t20250120_1.html"
    part = MIMENonMultipart("text", "html", charset="utf-8")
    part["Content-Location"] = "http://www.example.gov.cn/zwgk/ndbg/t20250120_1.html"
    if transfer == "base64":
        part["Content-Transfer-Encoding"] = "base64"
        part.set_payload(base64.encodebytes(page).decode("ascii"))
    else:
        import quopri
        part["Content-Transfer-Encoding"] = "quoted-printable"
        part.set_payload(quopri.encodestring(page).decode("ascii"))
    message.attach(part)
    for name in ("banner.jpg", "logo.png", "icon0.png"):
        image = MIMEImage(b"\x89PNG\r\n\x1a\n" + bytes(range(64)), "png")
        image["Content-Location"] = f"http://www.example.gov.cn/images/{name}"
        message.attach(image)
    style = MIMEText(".nav li{float:left}", "css", "utf-8")
    style["Content-Location"] = "http://www.example.gov.cn/css/style.css"
    message.attach(style)
    return message.as_bytes()


# --------------------------------------------------------------------------- the articles


def _body_of(page: str) -> str:
    start = page.index(">", page.index("<body")) + 1
    return page[start:page.rindex("</body>")]


def corpus_articles() -> list[Article]:
    """The corpus's web pages, as published (their body: the CMS's article extract)."""
    out = []
    for path in sorted(CORPUS.glob("*.html")):
        facts = gold(path.name)
        page = corpus_bytes(path.name).decode("utf-8")
        title = re.search(r'name="ArticleTitle" content="([^"]+)"', page)
        lifted = re.search(r'<div class="article_title">.*?</div>', page)
        out.append(Article(path.name, title.group(1) if title else f"{facts['agency']}{facts['year']}年度政府信息公开工作年度报告",
                           _body_of(page), lifted.group() if lifted else "",
                           date.fromisoformat(facts["page_published"]) if facts.get("page_published") else None))
    return out


def rendered_article(truth: L.Truth, layout: L.Layout, style: L.HtmlStyle = L.HtmlStyle()) -> tuple[Article, bytes]:
    """A gold report rendered as a web page by tests/layouts.py: the article, and the page as
    the layout writes it (the article alone)."""
    page = L.write_html(L.report_blocks(truth, layout), layout, style)
    text = page.decode("gb18030" if style.charset != "utf-8" else "utf-8")
    title_block = next(b for b in L.report_blocks(truth, layout) if isinstance(b, L.Title))
    lines = "".join(f"<h1>{L._esc(line)}</h1>" for line in title_block.lines)
    return Article(truth.name, "".join(title_block.lines), _body_of(text), lines), page

