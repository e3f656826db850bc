package org.civicgrid.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Invented but plausible Chinese place and person names. */
final class NameBank {

    /** Two-character stems for streets, communities, roads and businesses; none is a real 姑苏区 street name. */
    private static final String[] STEMS = ("文昌 和平 锦华 青枫 梅湾 兰亭 竹辉 凤鸣 春申 鹤园 长乐 福寿 瑞云 清波 望星 永安 "
            + "新桥 红枫 丽泽 东园 西园 南苑 北塘 嘉禾 翠竹 银杏 桂香 碧波 莲花 玉带 景德 崇文 尚义 兴隆 宝林 金柳 明德 晓市 "
            + "双桂 泰和 惠风 澄湖 吉庆 仁寿 怀德 秀水 云锦 安泰 康乐 同德 集贤 鸿福 紫薇 芙蓉 海棠 丹桂 石湖 枫林 绿洲 晴川 "
            + "彩云 朝阳 旭日 锦帆 金桂 玉兰 清风 明月 梧桐 香樟 杏坛 书院 砚池 墨香 琴台 棋盘 渔隐 采莲 织锦 丝绸 绣坊 花溪 "
            + "荷塘 柳浪 桃坞 梨园 葑溪 胥江 盘溪 槐树 松鹤 鹿苑 虹桥 南浦 东汇 西津 里河 外塘 上塘 中和 大成 广济 永福 福星 "
            + "富民 安居 乐业 民安 振兴 建新 向阳 光明 新华 人民 胜利 团结 友谊 前进 幸福 春晖 秋实 夏荷 冬青 润泽 怡和 "
            + "天赐 德政 延庆 百花 迎春 锦江 白莲 仙桃 青石 凤池 龙泉 卧龙 飞虹 金鸡 玉泉 花桥 竹园 菱塘 茶亭 钟楼").split(" ");

    private static final String[] SURNAMES = ("王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 "
            + "韩 冯 邓 曹 彭 曾 肖 田 董 袁 潘 蒋 蔡 余 杜 叶 程 苏 魏 吕 丁 沈 姚 卢 姜 崔 钟 谭 陆 汪 范 金 石 顾 钱 缪 陶 施 邹")
            .split(" ");

    private static final String GIVEN_CHARS = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力斌宇浩凯健俊帆鹏琳晨颖"
            + "婷雪慧佳欣怡梅兰凤云峰波宁亮林荣志国海春燕晓丹新";

    private static final String[] ROAD_SUFFIXES = { "路", "路", "路", "街", "路", "大道" };

    private static final String[] PHONE_PREFIXES = { "139", "138", "137", "136", "135", "150", "151", "152", "158",
            "159", "187", "188", "189", "180", "181", "177", "199", "133" };

    private NameBank() {
    }

    /** All stems in a random order, so areas and roads of one district get distinct names. */
    static List<String> shuffledStems(SplittableRandom rnd) {
        List<String> stems = new ArrayList<>(List.of(STEMS));
        for (int i = stems.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            String tmp = stems.get(i);
            stems.set(i, stems.get(j));
            stems.set(j, tmp);
        }
        return stems;
    }

    static String stem(SplittableRandom rnd) {
        return STEMS[rnd.nextInt(STEMS.length)];
    }

    static String roadSuffix(SplittableRandom rnd) {
        return ROAD_SUFFIXES[rnd.nextInt(ROAD_SUFFIXES.length)];
    }

    static String personName(SplittableRandom rnd) {
        StringBuilder name = new StringBuilder(SURNAMES[rnd.nextInt(SURNAMES.length)]);
        int given = rnd.nextInt(10) < 7 ? 2 : 1;
        for (int i = 0; i < given; i++) {
            name.append(GIVEN_CHARS.charAt(rnd.nextInt(GIVEN_CHARS.length())));
        }
        return name.toString();
    }

    /** A mobile number in the usual 3-4-4 layout with Suzhou's 0512 in the middle; random, so not a real line. */
    static String phone(SplittableRandom rnd) {
        return PHONE_PREFIXES[rnd.nextInt(PHONE_PREFIXES.length)] + "0512"
                + String.format(java.util.Locale.ROOT, "%04d", rnd.nextInt(10_000));
    }

    /** Names for the extra districts of a benchmark run; the first district is always 姑苏区. */
    static String districtName(int index) {
        if (index == 0) {
            return "姑苏区";
        }
        String stem = STEMS[(index - 1) % STEMS.length];
        int round = (index - 1) / STEMS.length;
        return round == 0 ? stem + "区" : stem + (round + 1) + "区";
    }

    static String chineseNumber(int n) {
        String[] digits = { "零", "一", "二", "三", "四", "五", "六", "七", "八", "九" };
        if (n < 10) {
            return digits[n];
        }
        if (n < 20) {
            return "十" + (n % 10 == 0 ? "" : digits[n % 10]);
        }
        if (n < 100) {
            return digits[n / 10] + "十" + (n % 10 == 0 ? "" : digits[n % 10]);
        }
        return Integer.toString(n);
    }
}
